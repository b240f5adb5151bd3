import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '@/server/db/client';
import { updateLock } from '@/server/db/data-dir-lock';
import { migrate } from '@/server/db/migrate';
import { issueCliToken } from '@/server/cli/cli-token';
import { runCommand } from '@/server/cli/commands';
import { runCli } from '../support/cli-process';
import { createTestAuth } from '../support/test-auth';

const cli = runCli;

describe('a second process on the same PGlite data dir', () => {
  let dataDir: string;
  let handle: DbHandle;
  let server: http.Server | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-second-'));
    handle = await openDb({ driver: 'pglite', dataDir });
    await migrate(handle);
  });

  afterAll(async () => {
    server?.close();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused at once with a message naming the holder', async () => {
    const { code, stderr } = await cli(['migrate'], dataDir);
    expect(code).toBe(1);
    expect(stderr).toContain(`is in use by process ${process.pid}`);
    expect(stderr).toContain('PGlite allows one process at a time');
  });

  it('sends CLI commands to the serving process found through the lock file', async () => {
    const auth = createTestAuth(handle);
    await auth.api.signUpEmail({
      body: { email: 'holder@example.com', password: 'correct-horse', name: 'Holder' },
    });
    const token = issueCliToken();
    // The serving side of /api/cli: the same command definitions, run on the holder's handle.
    server = http.createServer(async (req, res) => {
      const body = JSON.parse(
        await new Promise<string>((r) => {
          let s = '';
          req.on('data', (d: Buffer) => (s += d.toString()));
          req.on('end', () => r(s));
        }),
      ) as { command: string; input: unknown };
      if (req.headers.authorization !== `Bearer ${token}`) return res.writeHead(401).end('{}');
      const result = await runCommand({ handle, auth }, body.command, body.input);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    // The CLI goes through loopback, not the public URL (a proxy there would not pass it on).
    const cliUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    updateLock(path.resolve(dataDir), { url: 'https://rapport.example.invalid', cliUrl, token });

    const { code, stdout, stderr } = await cli(['status', '--json'], dataDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ database: 'pglite', users: 1 });
  });
});
