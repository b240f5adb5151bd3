import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type AppProcess = {
  url: string;
  /** The `npm start` process (with several web processes, their primary). */
  pid: number;
  dataDir: string;
  output: () => string;
  /** Stops the app (SIGTERM, as a user would), and removes its data dir unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
};

/**
 * `npm start` as a user runs it (build when needed, migrate, serve), on a fresh data dir and a
 * free port; resolves once it prints its URL.
 */
export async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: '',
      RAPPORT_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BETTER_AUTH_URL: url,
      NODE_ENV: 'production',
      ...env,
    },
  });
  let output = '';
  let started = false;
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (!started && output.includes('Rapport is running at')) {
        started = true;
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      if (started) return;
      fs.rmSync(dataDir, { recursive: true, force: true }); // a failed start leaves nothing
      reject(new Error(`app exited with ${code}:\n${output}`));
    });
  });
  await ready;
  return {
    url,
    pid: child.pid!,
    dataDir,
    output: () => output,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
