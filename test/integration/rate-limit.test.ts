import { expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { handleTrpcRequest } from '@/server/api/http-handler';
import { createTRPCRouter, expensiveProcedure } from '@/server/api/trpc';
import { hitRateLimit } from '@/server/rate-limit/api-rate-limiter';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('API rate limits', (db) => {
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
    await db().query(
      `UPDATE api_rate_limits SET window_start = now() - interval '2 seconds' WHERE key = 'short'`,
    );
    expect((await hitRateLimit(db().db, 'short', rule)).allowed).toBe(true);
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
