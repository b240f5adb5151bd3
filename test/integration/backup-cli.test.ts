import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { runCli } from '../support/cli-process';
import { createTestUser } from '../support/test-auth';

describe('rapport backup export / restore', () => {
  const from = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-backup-from-'));
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-backup-to-'));
  const file = path.join(os.tmpdir(), `rapport-backup-${process.pid}-${Date.now()}.jsonl`);
  let email: string;

  beforeAll(async () => {
    const handle = await openDb({ driver: 'pglite', dataDir: from });
    await migrate(handle);
    const user = await createTestUser(handle);
    email = user.email;
    await importNetworkMailbox(handle, user.id);
    await handle.close();
  });
  afterAll(() => {
    for (const d of [from, to]) fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  });

  it('moves a user with all their mail to another database, and refuses to clobber', async () => {
    const out = await runCli(['backup', 'export', '--user', email, '--out', file], from);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^\d+ rows written to .*\.jsonl \(\d+ emails, \d+ contacts/);
    // Never over an existing file.
    const again = await runCli(['backup', 'export', '--user', email, '--out', file], from);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    const restore = await runCli(['backup', 'restore', file], to);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(new RegExp(`^Restored ${email}: \\d+ emails`));
    // Everything that left arrived: the same counts, table by table.
    const summary = (text: string) => text.slice(text.lastIndexOf('(') + 1, text.lastIndexOf(')'));
    expect(restore.stdout.trim().split(': ')[1]).toBe(summary(out.stdout.trim()));

    // Sign-in secrets stay behind unless the operator trusts the file, and says so.
    expect(restore.stderr).toMatch(/users set-password --email/);

    const clobber = await runCli(['backup', 'restore', file], to);
    expect(clobber.code).toBe(1);
    expect(clobber.stderr).toMatch(/already exists here: restore with --replace/);
    const unnamed = await runCli(['backup', 'restore', file, '--replace'], to);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/--replace needs --user/);
    const replaced = await runCli(
      ['backup', 'restore', file, '--replace', '--user', email, '--trust-credentials'],
      to,
    );
    expect(replaced.stderr).toBe('');
    expect(replaced.code).toBe(0);
  }, 120_000); // five CLI processes, each booting TypeScript and the embedded database
});
