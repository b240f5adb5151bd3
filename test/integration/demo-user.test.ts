import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadDemoMailbox } from '@/server/demo/load-demo';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('the demo user', (db) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-demo-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes its generated mailbox where no one else can put a file first', async () => {
    // Someone who can write to the temp directory plants a link where the mailbox used to go.
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(dir, `demo-${process.pid}.mbox`));
    const user = await createTestUser(db(), 'demo-owner');
    const summary = await loadDemoMailbox(db().db, {
      userId: user.id,
      owner: { email: user.email, name: 'Demo User' },
      dir,
    });
    expect(summary.stored).toBeGreaterThan(1000);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    // Nothing of the mailbox is left behind.
    expect(fs.readdirSync(dir).sort()).toEqual([`demo-${process.pid}.mbox`, 'victim.txt']);
  }, 60_000);
});
