import type { z } from 'zod';
import type { Db, DbHandle } from '@/server/db/client';
import type { JobQueue } from './job-queue';

export type JobRunContext = {
  db: Db;
  handle: DbHandle;
  queue: JobQueue;
  jobId: string;
  /** 0 on the first attempt. */
  attempt: number;
};

export type JobOptions = {
  /** Attempts after the first; retried with exponential backoff from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job whose worker died is retried only after this: keep it near the job's real length. */
  expireInSeconds: number;
  /** Jobs fetched per poll (throughput ≈ batch ÷ polling interval per worker). */
  batchSize?: number;
  /** How many jobs of one batch run at once. */
  concurrency?: number;
  /**
   * Workers polling this queue in each process, each running one batch at a time (default 1):
   * a lane as wide as this, so one long job does not hold up the rest. A function: read when
   * the workers start (the environment is not read at import time).
   */
  workers?: number | (() => number);
  /** Cron (UTC) for recurring jobs. */
  schedule?: string;
};

export type JobDefinition<P extends z.ZodType = z.ZodType> = {
  /** `domain.verb[-noun]`, e.g. `mail.sync-account`. */
  id: string;
  payload: P;
  options: JobOptions;
  /**
   * A key that makes one payload a singleton (e.g. the account id for a sync): a second
   * enqueue while one is queued or running is dropped.
   */
  singletonKey?: (payload: z.infer<P>) => string;
  /** Must be idempotent: a job may run again after a crash or a retry. */
  handler(payload: z.infer<P>, ctx: JobRunContext): Promise<unknown>;
};

export function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}
