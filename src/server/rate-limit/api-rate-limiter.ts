import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';

export type RateLimitRule = { limit: number; windowSeconds: number };
export type RateLimitHit = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * A fixed-window counter in the database, so every web process counts against the same
 * budget. One statement counts n hits and reports the window.
 */
async function countHits(db: Db, key: string, windowSeconds: number, n: number) {
  const result = await db.execute(sql`
    INSERT INTO api_rate_limits (key, window_start, count)
    VALUES (${key}, now(), ${n})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN api_rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN ${n} ELSE api_rate_limits.count + ${n} END,
      window_start = CASE WHEN api_rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN now() ELSE api_rate_limits.window_start END
    RETURNING count,
      greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => ${windowSeconds}) - now())))::int AS retry_after
  `);
  return rowsOf<{ count: number; retry_after: number }>(result)[0]!;
}

type Waiter = { limit: number; resolve(hit: RateLimitHit): void; reject(err: unknown): void };
type Counter = { waiting: Waiter[]; running: boolean };
const counters = new WeakMap<Db, Map<string, Counter>>();

/**
 * Counts one hit. Hits on a key that arrive together (the calls of one batched request, or
 * many requests of one user at once) share one statement, each taking its own place in the
 * count: one write instead of one per call, and no queue on the counter's row lock.
 */
export function hitRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitHit> {
  let byKey = counters.get(db);
  if (!byKey) counters.set(db, (byKey = new Map()));
  const id = `${rule.windowSeconds}:${key}`;
  let counter = byKey.get(id);
  if (!counter) byKey.set(id, (counter = { waiting: [], running: false }));
  const c = counter;
  const hit = new Promise<RateLimitHit>((resolve, reject) =>
    c.waiting.push({ limit: rule.limit, resolve, reject }),
  );
  if (!c.running) {
    c.running = true;
    // The next turn of the event loop: the other calls of the same request have queued by then.
    setImmediate(async () => {
      while (c.waiting.length) {
        const batch = c.waiting.splice(0);
        try {
          const row = await countHits(db, key, rule.windowSeconds, batch.length);
          batch.forEach((w, i) => {
            const count = row.count - batch.length + i + 1;
            w.resolve({
              allowed: count <= w.limit,
              remaining: Math.max(0, w.limit - count),
              retryAfterSeconds: row.retry_after,
            });
          });
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
      c.running = false;
      byKey.delete(id);
    });
  }
  return hit;
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
