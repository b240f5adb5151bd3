import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '@/server/cli/commands';
import { openDb } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { createTestAuth, createTestUser } from '../support/test-auth';

/** Paths under `dir` (itself included) that anyone but their owner may read, write or enter. */
function openToOthers(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.mode & 0o077) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

describe('files the embedded database and backups leave on disk', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-modes-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps the data directory and every database file to their owner, whatever the umask', async () => {
    // A data dir made beforehand the usual way (0755), under a permissive umask.
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    const umask = process.umask(0o000);
    try {
      const handle = await openDb({ driver: 'pglite', dataDir });
      await migrate(handle);
      const user = await createTestUser(handle, 'modes');
      // While it runs: nobody else can even look inside.
      expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe('700');

      const out = path.join(root, 'backup.jsonl');
      await runCommand({ handle, auth: createTestAuth(handle) }, 'backup.export', {
        user: user.email,
        out,
      });
      expect((fs.statSync(out).mode & 0o777).toString(8)).toBe('600');
      await handle.close();
    } finally {
      process.umask(umask);
    }
    expect(openToOthers(dataDir)).toEqual([]);
  }, 60_000);
});
