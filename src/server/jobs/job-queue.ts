import PgBoss from 'pg-boss';
import type { DbHandle } from '@/server/db/client';
import { emit } from '@/server/events/emit';
import { AppError } from '@/server/errors/app-error';
import type { JobDefinition } from './define-job';
import { pgliteBossAdapter } from './pglite-boss-adapter';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export type JobStatus = {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  retryLimit: number;
  userId: string | null;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  output: unknown;
};

export type JobQueueOptions = {
  definitions: JobDefinition[];
  /** `producer`: only enqueues (web processes on PostgreSQL); `worker`: also maintains and schedules. */
  role: 'producer' | 'worker';
  pollingIntervalSeconds?: number;
  /** How often expired jobs (dead workers) are failed back to retry. */
  maintenanceIntervalSeconds?: number;
};

type BossRow = {
  id: string;
  name: string;
  state: JobState;
  retry_count: number;
  retry_limit: number;
  data: { userId?: string } | null;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  output: unknown;
};

function toStatus(r: BossRow): JobStatus {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    attempts: r.retry_count + (r.state === 'created' ? 0 : 1),
    retryLimit: r.retry_limit,
    userId: r.data?.userId ?? null,
    createdOn: new Date(r.created_on),
    startedOn: r.started_on ? new Date(r.started_on) : null,
    completedOn: r.completed_on ? new Date(r.completed_on) : null,
    output: r.output,
  };
}

/**
 * The seed's JobQueue (enqueue, process, getJobStatus, retryFailed) as a thin typed wrapper
 * over pg-boss, on PostgreSQL directly or on PGlite through pg-boss's `db` option.
 */
export class JobQueue {
  private readonly defs = new Map<string, JobDefinition>();
  /** This process's pg-boss workers per queue: woken on enqueue instead of waiting a poll. */
  private readonly localWorkers = new Map<string, string[]>();
  private working = false;

  private constructor(
    readonly boss: PgBoss,
    readonly handle: DbHandle,
    private readonly options: JobQueueOptions,
  ) {
    for (const def of options.definitions) this.defs.set(def.id, def);
  }

  static async start(handle: DbHandle, options: JobQueueOptions) {
    const worker = options.role === 'worker';
    const common = {
      supervise: worker,
      schedule: worker,
      migrate: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    };
    const boss =
      handle.driver === 'pglite'
        ? new PgBoss({ ...common, db: pgliteBossAdapter(handle.pglite!) })
        : new PgBoss({ ...common, connectionString: handle.connectionString!, max: 4 });
    boss.on('error', (err) => console.error('[jobs] pg-boss error:', err.message));
    await boss.start();
    const queue = new JobQueue(boss, handle, options);
    for (const def of options.definitions) {
      const queueOptions = {
        name: def.id,
        policy: def.singletonKey ? ('stately' as const) : ('standard' as const),
        retryLimit: def.options.retryLimit,
        retryDelay: def.options.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: def.options.expireInSeconds,
      };
      await boss.createQueue(def.id, queueOptions);
      await boss.updateQueue(def.id, queueOptions);
      if (worker && def.options.schedule) {
        await boss.schedule(def.id, def.options.schedule, {}, { tz: 'UTC' });
      }
    }
    return queue;
  }

  private definition(id: string) {
    const def = this.defs.get(id);
    if (!def) throw new AppError('NOT_FOUND', `Unknown job ${id}`);
    return def;
  }

  /** Validates the payload and queues the job; null when a singleton of it is already queued. */
  async enqueue<D extends JobDefinition>(
    def: D | string,
    payload: Parameters<D['handler']>[0],
    options: { startAfterSeconds?: number } = {},
  ): Promise<string | null> {
    const d = this.definition(typeof def === 'string' ? def : def.id);
    const data = d.payload.parse(payload) as object;
    const id = await this.boss.send(d.id, data, {
      singletonKey: d.singletonKey?.(data),
      startAfter: options.startAfterSeconds,
    });
    if (!options.startAfterSeconds) this.wakeLocalWorkers(d.id);
    return id;
  }

  private wakeLocalWorkers(name: string) {
    for (const workerId of this.localWorkers.get(name) ?? []) this.boss.notifyWorker(workerId);
  }

  /** Many jobs in one statement (bulk fan-out after an import). */
  async enqueueMany<D extends JobDefinition>(def: D, payloads: Parameters<D['handler']>[0][]) {
    const d = this.definition(def.id);
    await this.boss.insert(
      payloads.map((p) => {
        const data = d.payload.parse(p) as object;
        return {
          name: d.id,
          data,
          singletonKey: d.singletonKey?.(data),
          retryLimit: d.options.retryLimit,
          retryDelay: d.options.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: d.options.expireInSeconds,
        };
      }),
    );
    this.wakeLocalWorkers(d.id);
  }

  /** Starts workers for every definition (or the given ones). */
  async process(ids: string[] = [...this.defs.keys()]) {
    this.working = true;
    for (const id of ids) {
      const def = this.definition(id);
      const w = def.options.workers;
      const workers = Math.max(1, (typeof w === 'function' ? w() : w) ?? 1);
      // Each pg-boss worker fetches and runs on its own: a long job holds only its own.
      for (let i = 0; i < workers; i++) {
        const workerId = await this.boss.work<object>(
          id,
          {
            includeMetadata: true,
            batchSize: def.options.batchSize ?? 1,
            pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 0.5,
          },
          (jobs) => this.runBatch(def, jobs),
        );
        this.localWorkers.set(id, [...(this.localWorkers.get(id) ?? []), workerId]);
      }
    }
  }

  /**
   * Runs one fetched batch. Each job succeeds or fails on its own: failures are failed by id
   * (pg-boss then retries them with backoff); the rest complete when this returns.
   */
  private async runBatch(def: JobDefinition, jobs: PgBoss.JobWithMetadata<object>[]) {
    const limit = Math.max(1, def.options.concurrency ?? 1);
    let next = 0;
    const runOne = async (job: PgBoss.JobWithMetadata<object>) => {
      try {
        const payload = def.payload.parse(job.data);
        const retrying = job.singletonKey ? await this.pendingRetry(def, job) : null;
        if (retrying) {
          await this.boss.complete(def.id, job.id, { deferredTo: retrying });
          return;
        }
        const output = await def.handler(payload, {
          db: this.handle.db,
          handle: this.handle,
          queue: this,
          jobId: job.id,
          attempt: job.retryCount,
        });
        // A job's result is kept as its output (status pages show it); nothing to keep, no query.
        if (output !== undefined && output !== null) {
          const data = typeof output === 'object' ? (output as object) : { value: output };
          await this.boss.complete(def.id, job.id, data);
        }
      } catch (err) {
        await this.recordFailure(def, job, err as Error);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(limit, jobs.length) }, async () => {
        while (next < jobs.length) await runOne(jobs[next++]!);
      }),
    );
  }

  /**
   * A retry of the same singleton (same key: the same work) waiting out its backoff, if any.
   * pg-boss's stately queues hold one job per state and key, so running this one beside it
   * goes wrong: were this one to fail or its worker die, pg-boss marks it `failed` outright
   * whatever its retries left; and the retry, once due, cannot start while this one runs. The
   * pending retry does the work instead (found by `npm run soak`).
   */
  private async pendingRetry(def: JobDefinition, job: PgBoss.JobWithMetadata<object>) {
    const rows = await this.handle.query<{ id: string }>(
      `SELECT id FROM pgboss.job
        WHERE name = $1 AND singleton_key = $2 AND state = 'retry' AND id <> $3 LIMIT 1`,
      [def.id, job.singletonKey, job.id],
    );
    return rows[0]?.id ?? null;
  }

  private async recordFailure(def: JobDefinition, job: PgBoss.JobWithMetadata<object>, err: Error) {
    const message = err.message || String(err);
    await this.boss.fail(def.id, job.id, { message, name: err.name });
    const final = job.retryCount >= job.retryLimit;
    if (!final) return;
    const userId = (job.data as { userId?: unknown }).userId;
    await emit(
      this.handle.db,
      {
        type: 'job.failed',
        payload: { jobId: job.id, job: def.id, error: message, attempts: job.retryCount + 1 },
      },
      { userId: typeof userId === 'string' ? userId : null, source: 'worker' },
    ).catch((e: unknown) =>
      console.error('[jobs] could not record failure:', (e as Error).message),
    );
  }

  async getJobStatus(id: string): Promise<JobStatus | null> {
    const rows = await this.handle.query<BossRow>(
      `SELECT id, name, state, retry_count, retry_limit, data, created_on, started_on, completed_on, output
         FROM pgboss.job WHERE id = $1
       UNION ALL
       SELECT id, name, state, retry_count, retry_limit, data, created_on, started_on, completed_on, output
         FROM pgboss.archive WHERE id = $1
       LIMIT 1`,
      [id],
    );
    return rows[0] ? toStatus(rows[0]) : null;
  }

  /** A user's recent jobs (their payloads carry `userId`), newest first. */
  async listRecent(options: { userId: string; limit: number; state?: JobState }) {
    const rows = await this.handle.query<BossRow>(
      `SELECT id, name, state, retry_count, retry_limit, data, created_on, started_on, completed_on, output
         FROM pgboss.job
        WHERE data->>'userId' = $1 AND ($3::text IS NULL OR state::text = $3)
        ORDER BY created_on DESC
        LIMIT $2`,
      [options.userId, options.limit, options.state ?? null],
    );
    return rows.map(toStatus);
  }

  /** Whether a user has a job of this kind queued, waiting to retry, or running. */
  async hasPending(name: string, userId: string): Promise<boolean> {
    const rows = await this.handle.query(
      `SELECT 1 FROM pgboss.job
        WHERE name = $1 AND data->>'userId' = $2 AND state IN ('created', 'retry', 'active')
        LIMIT 1`,
      [name, userId],
    );
    return rows.length > 0;
  }

  /** A payload field of every job of this kind queued, waiting to retry, or running. */
  async pendingValues(name: string, field: string): Promise<string[]> {
    const rows = await this.handle.query<{ v: string | null }>(
      `SELECT data->>$2 AS v FROM pgboss.job
        WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
      [name, field],
    );
    return rows.flatMap((r) => (r.v ? [r.v] : []));
  }

  /** Puts failed jobs back in the queue: all of a user's, or the given ids (scoped to the user). */
  async retryFailed(options: { userId?: string; ids?: string[] } = {}) {
    const rows = await this.handle.query<{ id: string; name: string }>(
      `SELECT id, name FROM pgboss.job
        WHERE state = 'failed'
          AND ($1::text IS NULL OR data->>'userId' = $1)
          AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
      [options.userId ?? null, options.ids ?? null],
    );
    const byName = new Map<string, string[]>();
    for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r.id]);
    for (const [name, ids] of byName) await this.boss.retry(name, ids);
    return rows.length;
  }

  /** Graceful: stops fetching, lets in-flight jobs finish (up to `timeoutMs`), then closes. */
  async stop(timeoutMs = 30_000) {
    await this.boss.stop({ graceful: this.working, wait: true, timeout: timeoutMs, close: true });
  }
}
