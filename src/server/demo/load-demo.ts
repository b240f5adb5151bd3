import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/server/db/client';
import { importMbox } from '@/server/mail/import-mbox';
import { writeGeneratedMbox } from './write-mbox';

export const DEMO_MESSAGES = 2000;
export const DEMO_PEOPLE = 150;

/** Fills the demo user's mailbox: a generated mbox imported like any other. */
export async function loadDemoMailbox(
  db: Db,
  options: { userId: string; owner: { email: string; name: string }; dir: string },
) {
  fs.mkdirSync(options.dir, { recursive: true });
  const file = path.join(options.dir, `demo-${process.pid}.mbox`);
  try {
    await writeGeneratedMbox(file, {
      seed: 7,
      messages: DEMO_MESSAGES,
      people: DEMO_PEOPLE,
      owner: options.owner,
    });
    return await importMbox({ db, userId: options.userId, file, owners: [options.owner.email] });
  } finally {
    fs.rmSync(file, { force: true });
  }
}
