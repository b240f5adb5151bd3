import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { afterEach, expect, it, vi } from 'vitest';
import { parseEnv } from '@/env';
import type { Db } from '@/server/db/client';
import * as schema from '@/server/db/schema';
import { handleTrpcRequest } from '@/server/api/http-handler';
import { createTRPCRouter, expensiveProcedure } from '@/server/api/trpc';
import { flushRateLimits, hitRateLimit } from '@/server/rate-limit/api-rate-limiter';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('API rate limits', (db) => {
  afterEach(() => {
    vi.useRealTimers();
  });
  /** Another process's view: its own database object over the same database. */
  const otherProcess = () =>
    (db().pglite
      ? drizzlePglite({ client: db().pglite!, schema, casing: 'snake_case' })
      : drizzlePg({ client: db().pool!, schema, casing: 'snake_case' })) as unknown as Db;
  /** `seconds` on, for this process and for the database's window of `key`. */
  const later = async (key: string, seconds: number) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + seconds * 1000 });
    await db().query(
      `UPDATE api_rate_limits SET window_start = window_start - make_interval(secs => $2) WHERE key = $1`,
      [key, seconds],
    );
  };
  const stored = async (key: string) =>
    (
      await db().query<{ count: number }>(`SELECT count FROM api_rate_limits WHERE key = $1`, [key])
    )[0]?.count ?? 0;

  it('counts per key in a fixed window and says when to retry', async () => {
    const rule = { limit: 3, windowSeconds: 60 };
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await hitRateLimit(db().db, 'k1', rule));
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
    expect(hits[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(hits[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key has its own budget.
    expect((await hitRateLimit(db().db, 'k2', rule)).allowed).toBe(true);
  });

  it('starts a new window once the old one has passed', async () => {
    const rule = { limit: 1, windowSeconds: 1 };
    expect((await hitRateLimit(db().db, 'short', rule)).allowed).toBe(true);
    expect((await hitRateLimit(db().db, 'short', rule)).allowed).toBe(false);
    await later('short', 2);
    expect((await hitRateLimit(db().db, 'short', rule)).allowed).toBe(true);
  });

  it('counts a busy key in the process and writes the hits in one go', async () => {
    const rule = { limit: 100, windowSeconds: 60 };
    for (let i = 0; i < 10; i++) await hitRateLimit(db().db, 'busy', rule);
    // The first hit was written; the nine after it within the second are counted here.
    expect(await stored('busy')).toBe(1);
    await flushRateLimits(db().db);
    expect(await stored('busy')).toBe(10);
  });

  it('drops the hits of a window that ended unwritten, and goes on counting', async () => {
    const rule = { limit: 2, windowSeconds: 60 };
    expect((await hitRateLimit(db().db, 'ended', rule)).allowed).toBe(true);
    expect((await hitRateLimit(db().db, 'ended', rule)).allowed).toBe(true);
    await later('ended', 61);
    await flushRateLimits(db().db);
    expect(await stored('ended')).toBe(1);
    const next = await hitRateLimit(db().db, 'ended', rule);
    expect(next).toMatchObject({ allowed: true, remaining: 1 });
    expect(await stored('ended')).toBe(1);
  });

  // On PostgreSQL the third group arrives while the second write is on the wire (on PGlite the
  // write may finish first); counted from before that write, it was let through (14 of 20).
  it('stays exact when hits arrive while a write is in flight', async () => {
    const rule = { limit: 10, windowSeconds: 60 };
    const hit = () => hitRateLimit(db().db, 'inflight', rule);
    await hit();
    // A second on: the window must be read again, so the next hits wait for a write…
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1100 });
    const first = Array.from({ length: 5 }, hit);
    await new Promise((r) => setImmediate(r));
    // …and these queue while it runs, to be written next…
    const second = Array.from({ length: 5 }, hit);
    await first[0];
    // …while these are counted here as that second write runs.
    const third = Array.from({ length: 9 }, hit);
    const all = await Promise.all([...first, ...second, ...third]);
    expect(1 + all.filter((h) => h.allowed).length).toBe(10);
    await flushRateLimits(db().db);
    expect(await stored('inflight')).toBe(20);
  });

  it('shares one budget among processes', async () => {
    const rule = { limit: 5, windowSeconds: 60 };
    const a = db().db;
    const b = otherProcess();
    for (let i = 0; i < 3; i++) expect((await hitRateLimit(a, 'shared', rule)).allowed).toBe(true);
    await flushRateLimits(a);
    // The other process reads the three and has two left.
    expect((await hitRateLimit(b, 'shared', rule)).remaining).toBe(1);
    expect((await hitRateLimit(b, 'shared', rule)).allowed).toBe(true);
    expect((await hitRateLimit(b, 'shared', rule)).allowed).toBe(false);
    await flushRateLimits(b);
    expect(await stored('shared')).toBe(6);
  });

  it('answers 429 with Retry-After over HTTP once a user spends the budget', async () => {
    const user = await createTestUser(db());
    const env = parseEnv({ API_RATE_LIMIT_PER_MINUTE: '2' });
    const call = () =>
      handleTrpcRequest(new Request('http://localhost/api/trpc/dashboard.summary'), async () =>
        testContext({ db: db().db, env, user }),
      );
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Someone else is not affected.
    const other = await createTestUser(db());
    const res = await handleTrpcRequest(
      new Request('http://localhost/api/trpc/dashboard.summary'),
      async () => testContext({ db: db().db, env, user: other }),
    );
    expect(res.status).toBe(200);
  });

  it('gives expensive procedures a stricter budget of their own', async () => {
    const user = await createTestUser(db());
    const env = parseEnv({
      API_RATE_LIMIT_PER_MINUTE: '100',
      API_EXPENSIVE_RATE_LIMIT_PER_MINUTE: '1',
    });
    const router = createTRPCRouter({ costly: expensiveProcedure.query(() => 'ok') });
    const caller = router.createCaller(testContext({ db: db().db, env, user }));
    await expect(caller.costly()).resolves.toBe('ok');
    await expect(caller.costly()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});
