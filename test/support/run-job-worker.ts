import { openDb } from '@/server/db/client';
import type { JobDefinition } from '@/server/jobs/define-job';
import { JobQueue } from '@/server/jobs/job-queue';

/**
 * The body of a worker process (spawn-worker.ts starts them): the real JobQueue running
 * `definitions` on the PostgreSQL database named by DATABASE_URL. Prints `ready` once it is
 * fetching jobs, and on SIGTERM stops as `rapport worker` does (active jobs get 10 s).
 */
export async function runJobWorker(
  definitions: JobDefinition[],
  options: { poolSize: number; pollingIntervalSeconds?: number },
) {
  const handle = await openDb({
    driver: 'postgres',
    url: process.env.DATABASE_URL!,
    poolSize: options.poolSize,
  });
  const queue = await JobQueue.start(handle, {
    definitions,
    role: 'worker',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
    maintenanceIntervalSeconds: 1,
  });
  await queue.process();
  process.stdout.write('ready\n');
  process.once('SIGTERM', async () => {
    await queue.stop(10_000);
    await handle.close();
    process.exit(0);
  });
}
