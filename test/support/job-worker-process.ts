// A worker process for multi-process tests and the jobs benchmark: the real JobQueue, with the
// test job definitions, on the PostgreSQL database named by DATABASE_URL.
import { openDb } from '@/server/db/client';
import { JobQueue } from '@/server/jobs/job-queue';
import { testJobDefinitions } from './test-jobs';

const handle = await openDb({ driver: 'postgres', url: process.env.DATABASE_URL!, poolSize: 12 });
const queue = await JobQueue.start(handle, {
  definitions: testJobDefinitions,
  role: 'worker',
  pollingIntervalSeconds: Number(process.env.POLL_SECONDS ?? 0.5),
  maintenanceIntervalSeconds: 1,
});
await queue.process();
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await queue.stop(10_000);
  await handle.close();
  process.exit(0);
});
