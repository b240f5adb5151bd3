import { parseEnv, type Env } from '@/env';
import type { SessionUser, TrpcContext } from '@/server/api/trpc';
import type { Db } from '@/server/db/client';
import type { JobQueue } from '@/server/jobs/job-queue';

export function testContext(options: {
  db: Db;
  user: SessionUser | null;
  env?: Env;
  queue?: JobQueue;
  /** When the caller's session was created (fresh-session checks); unknown by default. */
  sessionCreatedAt?: Date;
}): TrpcContext {
  return {
    db: options.db,
    sessionCreatedAt: options.sessionCreatedAt,
    env: options.env ?? parseEnv({ NODE_ENV: 'test' }),
    user: options.user,
    jobs: async () => {
      if (!options.queue) throw new Error('this test started no job queue');
      return options.queue;
    },
  };
}
