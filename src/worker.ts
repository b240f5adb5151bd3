import { getEnv } from '@/env';
import { closeDb, getDbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { startRuntime, stopRuntime } from '@/server/runtime';

/**
 * `rapport worker`: a standalone job process sharing PostgreSQL with the web processes. On
 * SIGTERM/SIGINT it stops fetching, lets in-flight jobs finish (30 s at most; a job cut short
 * is retried by another worker once it expires), then exits.
 */
export async function runWorker() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    throw new Error(
      'rapport worker needs DATABASE_URL (PostgreSQL). With the embedded database the web server runs the jobs in-process: use `npm start`.',
    );
  }
  await migrate(await getDbHandle());
  await startRuntime('worker');
  console.log(`Worker ${process.pid} running jobs from PostgreSQL. Ctrl+C to stop.`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  console.log(`${signal}: finishing in-flight jobs…`);
  await stopRuntime();
  await closeDb();
}
