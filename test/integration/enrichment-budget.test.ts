import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionUser } from '@/server/api/trpc';
import { enrichContacts } from '@/server/enrichment/enrich-contacts';
import { EnrichmentPipeline } from '@/server/enrichment/pipeline';
import { ProviderHttp } from '@/server/enrichment/provider-http';
import { gravatarProvider } from '@/server/enrichment/providers/network-providers';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { startFakeEnrichment, type FakeEnrichment } from '../fakes/enrichment-server';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

/** Paid enrichment is shared by everyone on the deployment: no one user may drain it. */
describeEachDriver('enrichment providers shared between users', (db) => {
  let fake: FakeEnrichment;
  let alice: SessionUser;
  let bob: SessionUser;
  const fast = { unitsPerSecond: 1000, burst: 1000, unitsPerMinute: 100_000 };

  beforeAll(async () => {
    fake = await startFakeEnrichment();
    alice = await createTestUser(db(), 'alice-enrich');
    bob = await createTestUser(db(), 'bob-enrich');
    await importNetworkMailbox(db(), alice.id);
    await db().query(
      `INSERT INTO contacts (user_id, email, name) VALUES ($1, 'a@other.example', 'A'), ($1, 'b@other.example', 'B')`,
      [bob.id],
    );
  });
  afterAll(() => fake.close());

  it('keeps each user, and everyone together, to a daily budget of provider requests', async () => {
    const budgeted = new EnrichmentPipeline(
      [gravatarProvider({ baseUrl: fake.url, key: 'g', rate: fast })],
      { budget: { perUserPerDay: 3, perDay: 4 }, share: 1 },
    );
    const before = fake.stats.gravatar.requests;
    const hers = await enrichContacts(db().db, budgeted, { userId: alice.id, force: true });
    expect(hers.contacts).toBeGreaterThan(3);
    expect(fake.stats.gravatar.requests - before).toBe(3);
    const [why] = await db().query<{ error: string }>(
      `SELECT error FROM enrichments WHERE user_id = $1 AND source = 'gravatar' AND status = 'error' LIMIT 1`,
      [alice.id],
    );
    expect(why!.error).toMatch(/daily enrichment budget/);
    // Bob has a share of his own, until everyone's is spent.
    await enrichContacts(db().db, budgeted, { userId: bob.id, force: true });
    expect(fake.stats.gravatar.requests - before).toBe(4);
  });

  it('lets one user take only a share of a provider’s rate: another user’s request goes by', async () => {
    // 4 requests a second: one user may take half of that.
    const http = new ProviderHttp(
      'gravatar',
      { unitsPerSecond: 4, burst: 4, unitsPerMinute: 1000 },
      { timeoutMs: 5000 },
    );
    const view = (userId: string) =>
      http.forUser({ db: db().db, userId, share: 0.5, budget: { perUserPerDay: 0, perDay: 0 } });
    const order: string[] = [];
    const get = (who: string, i: number) =>
      view(who)
        .getJson(`${fake.url}/v3/profiles/${who}-${i}`, { authorization: 'Bearer g' })
        .then(() => order.push(`${who}${i}`));
    const heavy = Array.from({ length: 8 }, (_, i) => get('alice', i));
    // Bob asks once Alice's requests are under way (all eight queued for the provider).
    await Promise.race(heavy);
    const light = get('bob', 0);
    await Promise.all([...heavy, light]);
    // Bob’s one request came back before the heavy user's third, not after all eight.
    expect(order.indexOf('bob0')).toBeLessThan(order.indexOf('alice2'));
  });
});
