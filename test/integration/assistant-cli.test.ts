import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { createTestUser } from '../support/test-auth';

const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(args: string[], dataDir: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/rapport.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', RAPPORT_DATA_DIR: dataDir, AI_PROVIDER: 'none' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rapport ask', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-ask-'));
    const handle = await openDb({ driver: 'pglite', dataDir });
    await migrate(handle);
    const u = await createTestUser(handle);
    await importNetworkMailbox(handle, u.id);
    await handle.close();
  });

  it('prints the documented JSON for the only user, and plain text with suggestions', async () => {
    const json = await cli(['ask', 'When did I last email Keith Holst?', '--json'], dataDir);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      answer: expect.stringContaining('Keith Holst'),
      contacts: ['keith.holst@holst.example'],
      value: null,
      datetime: '2025-03-12T15:30:00.000Z',
      intent: 'last_contact',
    });
    const text = await cli(['ask', 'what', 'colour', 'is', 'the', 'sky'], dataDir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/didn't understand/);
    expect(text.stdout).toMatch(/• Who do I email the most\?/);
  });
});
