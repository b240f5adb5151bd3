import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';

export type RateLimitRule = { limit: number; windowSeconds: number };

/**
 * A fixed-window counter in the database, so every web process counts against the same
 * budget. One statement per request: the upsert both counts and reports the window.
 */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule) {
  const result = await db.execute(sql`
    INSERT INTO api_rate_limits (key, window_start, count)
    VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN api_rate_limits.window_start <= now() - make_interval(secs => ${rule.windowSeconds})
                   THEN 1 ELSE api_rate_limits.count + 1 END,
      window_start = CASE WHEN api_rate_limits.window_start <= now() - make_interval(secs => ${rule.windowSeconds})
                   THEN now() ELSE api_rate_limits.window_start END
    RETURNING count,
      greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => ${rule.windowSeconds}) - now())))::int AS retry_after
  `);
  const row = rowsOf<{ count: number; retry_after: number }>(result)[0]!;
  return {
    allowed: row.count <= rule.limit,
    remaining: Math.max(0, rule.limit - row.count),
    retryAfterSeconds: row.retry_after,
  };
}

export async function enforceRateLimit(db: Db, key: string, rule: RateLimitRule) {
  const hit = await hitRateLimit(db, key, rule);
  if (!hit.allowed) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many requests; try again in ${hit.retryAfterSeconds} s`,
      { retryAfterSeconds: hit.retryAfterSeconds },
    );
  }
  return hit;
}
