import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobQueue } from '@/server/jobs/job-queue';
import { describeEachDriver } from '../support/test-db';
import { spawnWorker, type WorkerProcess } from '../support/spawn-worker';
import { CREATE_RUNS_TABLE, holdJob, recordJob, testJobDefinitions } from '../support/test-jobs';
import { waitFor } from '../support/wait-for';

describeEachDriver(
  'worker processes on PostgreSQL',
  (db) => {
    let producer: JobQueue;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      await db().query(CREATE_RUNS_TABLE);
      producer = await JobQueue.start(db(), { definitions: testJobDefinitions, role: 'producer' });
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await producer.stop();
    });

    const count = async (sql: string, params: unknown[] = []) =>
      (await db().query<{ n: number }>(sql, params))[0]!.n;

    it('2 workers drain 2,000 jobs, each completed exactly once', async () => {
      workers.push(
        await spawnWorker(db().connectionString!),
        await spawnWorker(db().connectionString!),
      );
      await producer.enqueueMany(
        recordJob,
        Array.from({ length: 2000 }, (_, n) => ({ n })),
      );
      await waitFor(
        () =>
          count(
            `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test.record' AND state = 'completed'`,
          ).then((n) => n === 2000),
        { timeoutMs: 60_000, intervalMs: 200, what: '2,000 completed jobs' },
      );
      expect(await count('SELECT count(*)::int AS n FROM test_job_runs')).toBe(2000);
      expect(await count('SELECT count(DISTINCT n)::int AS n FROM test_job_runs')).toBe(2000);
      expect(await count('SELECT count(DISTINCT job_id)::int AS n FROM test_job_runs')).toBe(2000);
      const pids = await db().query<{ pid: number }>('SELECT DISTINCT pid FROM test_job_runs');
      expect(pids.map((p) => p.pid).sort()).toEqual(workers.map((w) => w.pid).sort());
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });

    it('a job whose worker is SIGKILLed mid-job is retried by the other worker', async () => {
      const doomed = await spawnWorker(db().connectionString!);
      workers.push(doomed);
      const id = (await producer.enqueue(holdJob, { n: 7 }))!;
      await waitFor(
        () => count('SELECT count(*)::int AS n FROM test_job_runs WHERE job_id = $1', [id]),
        {
          what: 'the job to start',
        },
      );
      const survivor = await spawnWorker(db().connectionString!);
      workers.push(survivor);
      doomed.child.kill('SIGKILL');

      const status = await waitFor(
        async () => {
          const s = await producer.getJobStatus(id);
          return s?.state === 'completed' ? s : null;
        },
        { timeoutMs: 30_000, intervalMs: 200, what: 'the retried job to complete' },
      );
      expect(status.attempts).toBe(2);
      const runs = await db().query<{ pid: number; attempt: number }>(
        'SELECT pid, attempt FROM test_job_runs WHERE job_id = $1 ORDER BY attempt',
        [id],
      );
      expect(runs).toEqual([
        { pid: doomed.pid, attempt: 0 },
        { pid: survivor.pid, attempt: 1 },
      ]);
    });
  },
  'postgres',
);
