import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/server/db/client';
import { importMbox } from '@/server/mail/import-mbox';
import { writeGeneratedMbox } from './write-mbox';

export const DEMO_MESSAGES = 2000;
export const DEMO_PEOPLE = 150;

/**
 * Fills the demo user's mailbox: a generated mbox imported like any other. The file goes in a
 * fresh private directory (mkdtemp, 0700), never at a name someone could claim first in a
 * shared temp directory (a planted link would have the generator write through it).
 */
export async function loadDemoMailbox(
  db: Db,
  options: { userId: string; owner: { email: string; name: string }; dir: string },
) {
  fs.mkdirSync(options.dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(options.dir, 'rapport-demo-'));
  const file = path.join(tmp, 'demo.mbox');
  try {
    await writeGeneratedMbox(file, {
      seed: 7,
      messages: DEMO_MESSAGES,
      people: DEMO_PEOPLE,
      owner: options.owner,
    });
    return await importMbox({ db, userId: options.userId, file, owners: [options.owner.email] });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
