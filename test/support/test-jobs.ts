import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '@/server/jobs/define-job';

/** Test jobs record every run in `test_job_runs`, so tests count executions exactly. */
export const CREATE_RUNS_TABLE = `CREATE TABLE IF NOT EXISTS test_job_runs (
  job_id uuid NOT NULL, n int NOT NULL, pid int NOT NULL, attempt int NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp())`;

export const recordJob = defineJob({
  id: 'test.record',
  payload: z.object({ n: z.number().int(), userId: z.string().optional() }),
  options: {
    retryLimit: 3,
    retryDelaySeconds: 1,
    expireInSeconds: 30,
    batchSize: 100,
    concurrency: 10,
  },
  async handler(p, { db, jobId, attempt }) {
    await db.execute(
      sql`INSERT INTO test_job_runs (job_id, n, pid, attempt) VALUES (${jobId}, ${p.n}, ${process.pid}, ${attempt})`,
    );
  },
});

/** Fails its first `failTimes` attempts, then succeeds. */
export const flakyJob = defineJob({
  id: 'test.flaky',
  payload: z.object({ failTimes: z.number().int(), userId: z.string().optional() }),
  options: { retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 30 },
  async handler(p, { attempt }) {
    if (attempt < p.failTimes) throw new Error(`planned failure ${attempt + 1}`);
  },
});

/** Starts, records itself, and on its first attempt never finishes: its worker gets killed. */
export const holdJob = defineJob({
  id: 'test.hold',
  payload: z.object({ n: z.number().int() }),
  options: { retryLimit: 3, retryDelaySeconds: 1, expireInSeconds: 2 },
  async handler(p, { db, jobId, attempt }) {
    await db.execute(
      sql`INSERT INTO test_job_runs (job_id, n, pid, attempt) VALUES (${jobId}, ${p.n}, ${process.pid}, ${attempt})`,
    );
    if (attempt === 0) await new Promise(() => {});
  },
});

export const singletonJob = defineJob({
  id: 'test.singleton',
  payload: z.object({ accountId: z.string() }),
  options: { retryLimit: 0, retryDelaySeconds: 1, expireInSeconds: 30 },
  singletonKey: (p) => p.accountId,
  async handler() {},
});

let releaseHeld: () => void = () => {};
const held = () => new Promise<void>((r) => (releaseHeld = r));
/** Lets the `test.lane` job that holds its worker finish. */
export const releaseLane = () => releaseHeld();

/**
 * A lane of two workers (as imports have): a `hold` job keeps its worker until `releaseLane()`,
 * the others finish at once.
 */
export const laneJob = defineJob({
  id: 'test.lane',
  payload: z.object({ userId: z.string(), hold: z.boolean() }),
  options: { retryLimit: 0, retryDelaySeconds: 1, expireInSeconds: 60, workers: () => 2 },
  singletonKey: (p) => `${p.userId}:${p.hold}`,
  async handler(p) {
    if (p.hold) await held();
  },
});

/** A trivial job for throughput and pickup-latency figures. */
export const noopJob = defineJob({
  id: 'bench.noop',
  payload: z.object({ run: z.string(), i: z.number().int() }),
  options: { retryLimit: 1, retryDelaySeconds: 1, expireInSeconds: 60, batchSize: 200 },
  async handler() {},
});

export const testJobDefinitions = [
  recordJob,
  flakyJob,
  holdJob,
  singletonJob,
  noopJob,
  laneJob,
] as unknown as JobDefinition[];
