import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';

export type RateLimitRule = { limit: number; windowSeconds: number };
export type RateLimitHit = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * How long a process counts a key's hits on its own before it writes them and reads the
 * others' (SYNC_MS). Every web process counts against one budget in the database, but writing
 * every call there put a write (and a commit waiting on the disk) in every request: under
 * load it was as costly as the request's own reads. Now a process writes a busy key about once
 * a second, so with N web processes a user can overshoot the limit by at most what the other
 * N-1 processes let through in a second. In one process the count is exact.
 */
const SYNC_MS = 1000;

/** Counts n hits (a fixed window in the database); the window's total and time left. */
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
      greatest(0, extract(epoch FROM window_start + make_interval(secs => ${windowSeconds}) - now()) * 1000)::int AS left_ms
  `);
  return rowsOf<{ count: number; left_ms: number }>(result)[0]!;
}

type Waiter = { limit: number; resolve(hit: RateLimitHit): void; reject(err: unknown): void };
/** A key's window as this process knows it. */
type Window = {
  db: Db;
  key: string;
  windowSeconds: number;
  /** Hits in the window: the database's count at the last sync plus those counted here since. */
  count: number;
  /** Hits counted here and not yet written. */
  unsynced: number;
  /** When the window ends, and when it was last read (local clock; 0: never). */
  endsAt: number;
  syncedAt: number;
  /** Hits that wait for a sync (the window is unknown or stale). */
  waiting: Waiter[];
  syncing: Promise<void> | null;
  timer?: NodeJS.Timeout;
};
const windows = new WeakMap<Db, Map<string, Window>>();

const answer = (count: number, limit: number, endsAt: number): RateLimitHit => ({
  allowed: count <= limit,
  remaining: Math.max(0, limit - count),
  retryAfterSeconds: Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)),
});

/**
 * Counts one hit. While this process read the key's window less than SYNC_MS ago, the hit is
 * counted here and answered at once; otherwise it waits for a sync, which the hits arriving
 * together share (one statement, each hit taking its own place in the count).
 */
export function hitRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitHit> {
  let byKey = windows.get(db);
  if (!byKey) windows.set(db, (byKey = new Map()));
  const id = `${rule.windowSeconds}:${key}`;
  let w = byKey.get(id);
  if (!w) {
    const fresh = { count: 0, unsynced: 0, endsAt: 0, syncedAt: 0, waiting: [], syncing: null };
    byKey.set(id, (w = { db, key, windowSeconds: rule.windowSeconds, ...fresh }));
  }
  const now = Date.now();
  if (now < w.endsAt && now - w.syncedAt < SYNC_MS) {
    w.count++;
    w.unsynced++;
    return Promise.resolve(answer(w.count, rule.limit, w.endsAt));
  }
  const hit = new Promise<RateLimitHit>((resolve, reject) =>
    w.waiting.push({ limit: rule.limit, resolve, reject }),
  );
  // The next turn of the event loop: the other calls of the same request have queued by then.
  if (!w.syncing) startSync(w, byKey, id, true);
  return hit;
}

/**
 * Runs `sync` (after a turn of the event loop when `later`), the window's one sync at a time;
 * then, a second on, writes what was counted meanwhile, or forgets the key if nothing was.
 */
function startSync(w: Window, byKey: Map<string, Window>, id: string, later: boolean) {
  clearTimeout(w.timer);
  const run: Promise<void> = (later ? new Promise((r) => setImmediate(r)) : Promise.resolve())
    .then(() => sync(w))
    .finally(() => {
      if (w.syncing !== run) return;
      w.syncing = null;
      // A hit that queued as the loop ended.
      if (w.waiting.length) return void startSync(w, byKey, id, false);
      w.timer = setTimeout(() => {
        if (byKey.get(id) !== w || w.syncing) return;
        if (w.unsynced || w.waiting.length) startSync(w, byKey, id, false);
        else byKey.delete(id);
      }, SYNC_MS);
      w.timer.unref();
    });
  w.syncing = run;
  return run;
}

/**
 * Writes the window's unsynced hits and its waiters' in one statement; again while hits
 * queued meanwhile wait for an answer (hits counted here meanwhile wait for the next second).
 * A statement that fails after the database committed it (a dropped connection) has its hits
 * written again: the count errs high, towards limiting.
 */
async function sync(w: Window) {
  do {
    // Hits of a window that has ended belong to it, not to the next one.
    if (Date.now() >= w.endsAt) w.unsynced = 0;
    const batch = w.waiting.splice(0);
    const unsynced = w.unsynced;
    w.unsynced = 0;
    if (!batch.length && !unsynced) break;
    // In flight: hits counted here while it runs take their places after these.
    w.count += batch.length;
    // The window's end as of sending (not of the answer): the local end comes no later.
    const sentAt = Date.now();
    try {
      const row = await countHits(w.db, w.key, w.windowSeconds, unsynced + batch.length);
      // Hits counted here while the statement ran come on top of the database's count.
      w.count = row.count + w.unsynced;
      w.endsAt = sentAt + row.left_ms;
      w.syncedAt = Date.now();
      batch.forEach((waiter, i) =>
        waiter.resolve(answer(row.count - batch.length + i + 1, waiter.limit, w.endsAt)),
      );
    } catch (err) {
      w.unsynced += unsynced;
      w.count -= batch.length;
      for (const waiter of batch) waiter.reject(err);
      // Not known to be fresh any more: the next hit reads the database again.
      w.syncedAt = 0;
    }
  } while (w.waiting.length);
}

/** Writes every key's unsynced hits now (tests read the database after). */
export async function flushRateLimits(db: Db) {
  const byKey = windows.get(db);
  if (!byKey) return;
  await Promise.all(
    [...byKey].map(async ([id, w]) => {
      while (w.syncing) await w.syncing;
      if (w.unsynced) await startSync(w, byKey, id, false);
    }),
  );
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
