import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type WorkerProcess = { child: ChildProcess; pid: number; stop(): Promise<void> };

/** Starts test/support/job-worker-process.ts on the given database; resolves once it polls. */
export function spawnWorker(
  databaseUrl: string,
  env: Record<string, string> = {},
  script = 'test/support/job-worker-process.ts',
): Promise<WorkerProcess> {
  return spawnUntil(['--import', 'tsx', path.join(ROOT, script)], 'ready', {
    DATABASE_URL: databaseUrl,
    ...env,
  });
}

/** `rapport worker` as production runs it; resolves once it says it is running jobs. */
export function spawnRapportWorker(env: Record<string, string>): Promise<WorkerProcess> {
  return spawnUntil([path.join(ROOT, 'bin/rapport.mjs'), 'worker'], 'running jobs', {
    NODE_ENV: 'production',
    ...env,
  });
}

/** Node with `args`, resolved once its standard output says `ready`; `stop` sends SIGTERM and waits. */
async function spawnUntil(
  args: string[],
  ready: string,
  env: Record<string, string>,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
  return {
    child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
