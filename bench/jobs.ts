// npm run bench:jobs — trivial-job throughput and enqueue-to-start latency on PGlite (worker in
// process) and on PostgreSQL with 1 and 2 worker processes. Prints one JSON line.
import crypto from 'node:crypto';
import { openDb, type DbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { JobQueue } from '@/server/jobs/job-queue';
import { createBenchDatabase } from './bench-database';
import { spawnWorker } from '../test/support/spawn-worker';
import { noopJob, testJobDefinitions } from '../test/support/test-jobs';

const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? 6000);
const LATENCY_JOBS = 200;
const LATENCY_SPACING_MS = 20;

type Figures = { jobs_per_s: number; p50_ms: number; p95_ms: number };

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function completed(handle: DbHandle, run: string) {
  const [row] = await handle.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'bench.noop' AND data->>'run' = $1 AND state = 'completed'`,
    [run],
  );
  return row!.n;
}

async function until(handle: DbHandle, run: string, n: number) {
  const deadline = Date.now() + 300_000;
  while ((await completed(handle, run)) < n) {
    if (Date.now() > deadline) throw new Error(`${run}: jobs did not complete`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function measure(handle: DbHandle, producer: JobQueue, label: string): Promise<Figures> {
  // Throughput: a burst, timed from the enqueue to the last completion.
  const tp = `${label}-tp-${crypto.randomUUID()}`;
  const t0 = performance.now();
  await producer.enqueueMany(
    noopJob,
    Array.from({ length: THROUGHPUT_JOBS }, (_, i) => ({ run: tp, i })),
  );
  await until(handle, tp, THROUGHPUT_JOBS);
  const jobsPerS = THROUGHPUT_JOBS / ((performance.now() - t0) / 1000);

  // Pickup latency: jobs sent one at a time at a steady light rate (started_on - created_on).
  const lat = `${label}-lat-${crypto.randomUUID()}`;
  for (let i = 0; i < LATENCY_JOBS; i++) {
    await producer.enqueue(noopJob, { run: lat, i });
    await new Promise((r) => setTimeout(r, LATENCY_SPACING_MS));
  }
  await until(handle, lat, LATENCY_JOBS);
  const rows = await handle.query<{ ms: number }>(
    `SELECT extract(epoch FROM started_on - created_on) * 1000 AS ms FROM pgboss.job
      WHERE name = 'bench.noop' AND data->>'run' = $1`,
    [lat],
  );
  const ms = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  return { jobs_per_s: round(jobsPerS), p50_ms: round(pct(ms, 50)), p95_ms: round(pct(ms, 95)) };
}

async function pglite(): Promise<Figures> {
  const handle = await openDb({ driver: 'pglite' });
  await migrate(handle);
  const queue = await JobQueue.start(handle, { definitions: testJobDefinitions, role: 'worker' });
  await queue.process([noopJob.id]);
  const figures = await measure(handle, queue, 'pglite');
  await queue.stop();
  await handle.close();
  return figures;
}

async function postgres(workers: number): Promise<Figures> {
  const db = await createBenchDatabase();
  try {
    const producer = await JobQueue.start(db.handle, {
      definitions: testJobDefinitions,
      role: 'producer',
    });
    const procs = await Promise.all(Array.from({ length: workers }, () => spawnWorker(db.url)));
    const figures = await measure(db.handle, producer, `pg-${workers}`);
    await Promise.all(procs.map((p) => p.stop()));
    await producer.stop();
    return figures;
  } finally {
    await db.drop();
  }
}

const result = {
  jobs: THROUGHPUT_JOBS,
  pglite: await pglite(),
  postgres: { workers_1: await postgres(1), workers_2: await postgres(2) },
  notes:
    'pg-boss polls every 0.5 s and fetches 200 jobs per poll per worker; in-process enqueues wake the local worker',
};
console.log(JSON.stringify(result));
process.exit(0);
