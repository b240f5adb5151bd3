import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { publicUrl } from '@/env';
import { closeDb, getDbHandle } from '@/server/db/client';
import {
  prepareDatabase,
  printReady,
  serverEnv,
  startAppServer,
  type StartOptions,
} from './app-server';

const CLI = fileURLToPath(new URL('../../../bin/rapport.mjs', import.meta.url));

const RESTART_DELAY_MS = 1000;

/** The message a web process sends its primary once it listens. */
const LISTENING = 'rapport:listening';

/**
 * Several web processes on one port (WEB_CONCURRENCY, PostgreSQL only): the primary migrates
 * and loads the demo once, forks the processes (each serves the whole app and shares the
 * listening socket), prints the URL when all listen, restarts one that crashes, and stops
 * them all on SIGINT/SIGTERM.
 */
export async function startWebCluster(options: StartOptions, processes: number) {
  const { env, port, host } = serverEnv(options);
  if (!env.DATABASE_URL)
    throw new Error(
      `WEB_CONCURRENCY=${processes} needs PostgreSQL (DATABASE_URL): the embedded database serves one process.`,
    );
  const demo = await prepareDatabase(await getDbHandle(), env, host);
  await closeDb();

  cluster.setupPrimary({ exec: CLI, args: ['serve', '--port', String(port), '--host', host] });
  let stopping = false;
  // Tried again every second until it listens (or the cluster stops).
  const respawn = () =>
    setTimeout(() => {
      if (stopping) return;
      fork().catch((err: Error) => {
        console.error(`[web] restart failed: ${err.message}`);
        respawn();
      });
    }, RESTART_DELAY_MS);
  const fork = (): Promise<Worker> =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork({ RAPPORT_CLUSTER_WORKER: '1' });
      const onExit = (code: number | null) =>
        reject(new Error(`a web process exited (${code}) before it listened`));
      worker.once('exit', onExit);
      worker.on('message', (m: unknown) => {
        if (m !== LISTENING) return;
        worker.off('exit', onExit);
        // A crash (not our own stop) gets a replacement, a second later (no tight loop when
        // every start fails).
        worker.once('exit', (code, signal) => {
          if (stopping || code === 0) return;
          console.error(`[web] process ${worker.process.pid} died (${signal ?? code}); restarting`);
          respawn();
        });
        resolve(worker);
      });
    });
  // One after another: each start installs or checks the job queue's schema, which two doing
  // at once would deadlock on.
  for (let i = 0; i < processes; i++) await fork();

  const url = publicUrl({ ...env, PORT: port });
  if (!options.quiet) printReady(url, `PostgreSQL, ${processes} web processes`, demo);

  const stop = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  return { url, stop };
}

/** In a forked web process: serve, and tell the primary once listening. */
export async function startClusterWorker(options: StartOptions) {
  const app = await startAppServer({ ...options, quiet: true, clusterWorker: true });
  process.send?.(LISTENING);
  // The primary gone (even killed outright): no orphan keeps serving.
  process.once('disconnect', () => void app.stop().then(() => process.exit(0)));
  return app;
}

export const isClusterWorker = () => cluster.isWorker && process.env.RAPPORT_CLUSTER_WORKER === '1';
