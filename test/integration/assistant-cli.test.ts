import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { runCli } from '../support/cli-process';
import { createTestUser } from '../support/test-auth';

const cli = (args: string[], dataDir: string) => runCli(args, dataDir, { AI_PROVIDER: 'none' });

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
