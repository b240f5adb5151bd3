import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '@/server/db/client';
import { runCli } from '../support/cli-process';
import { createTestAuth } from '../support/test-auth';

describe('rapport users create', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-users-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('never takes the password on the command line, where `ps` shows it to everyone', async () => {
    const onArgv = await runCli(
      ['users', 'create', '--email', 'argv@example.com', '--password', 'visible-to-ps-aux'],
      dataDir,
    );
    expect(onArgv.code).toBe(1);
    expect(onArgv.stderr).toMatch(/--password.*stdin/i);
    expect(onArgv.stderr).not.toContain('visible-to-ps-aux');
  }, 60_000);

  it('reads it from stdin instead, and the user signs in with it', async () => {
    const created = await runCli(
      ['users', 'create', '--email', 'stdin@example.com', '--name', 'Std In'],
      dataDir,
      {},
      'read-from-standard-input\n',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('stdin@example.com');
    const handle = await openDb({ driver: 'pglite', dataDir });
    try {
      const auth = createTestAuth(handle);
      const { user } = await auth.api.signInEmail({
        body: { email: 'stdin@example.com', password: 'read-from-standard-input' },
      });
      expect(user.name).toBe('Std In');
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('sets a new password the same way', async () => {
    const set = await runCli(
      ['users', 'set-password', '--email', 'stdin@example.com'],
      dataDir,
      {},
      'a-brand-new-password\n',
    );
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const handle = await openDb({ driver: 'pglite', dataDir });
    try {
      const auth = createTestAuth(handle);
      await expect(
        auth.api.signInEmail({
          body: { email: 'stdin@example.com', password: 'read-from-standard-input' },
        }),
      ).rejects.toThrow();
      const { user } = await auth.api.signInEmail({
        body: { email: 'stdin@example.com', password: 'a-brand-new-password' },
      });
      expect(user.email).toBe('stdin@example.com');
    } finally {
      await handle.close();
    }
  }, 60_000);
});
