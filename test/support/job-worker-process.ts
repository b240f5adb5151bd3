// A worker process for multi-process tests and the jobs benchmark: the real JobQueue, with the
// test job definitions, on the PostgreSQL database named by DATABASE_URL.
import { runJobWorker } from './run-job-worker';
import { testJobDefinitions } from './test-jobs';

await runJobWorker(testJobDefinitions, {
  poolSize: 12,
  pollingIntervalSeconds: Number(process.env.POLL_SECONDS ?? 0.5),
});
