import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { ask } from '@/server/assistant/assistant';
import { updateContact } from '@/server/contacts/contact-queries';
import { enrichContacts } from '@/server/enrichment/enrich-contacts';
import { EnrichmentPipeline } from '@/server/enrichment/pipeline';
import { runCommand } from '@/server/cli/commands';
import { createTestAuth } from '../support/test-auth';
import { localSignaturesProvider } from '@/server/enrichment/providers/local-signatures';
import {
  githubProvider,
  gravatarProvider,
  peopleDataProvider,
  xProvider,
} from '@/server/enrichment/providers/network-providers';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { startFakeEnrichment, type FakeEnrichment } from '../fakes/enrichment-server';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('enrichment', (db) => {
  let fake: FakeEnrichment;
  let user: SessionUser;
  let other: SessionUser;
  const fast = { unitsPerSecond: 1000, burst: 1000, unitsPerMinute: 100_000 };
  const pipeline = () =>
    new EnrichmentPipeline([
      localSignaturesProvider,
      gravatarProvider({ baseUrl: fake.url, key: 'g', rate: fast }),
      githubProvider({ baseUrl: fake.url, key: 'gh', rate: fast }),
      xProvider({ baseUrl: fake.url, key: 'x', rate: fast }),
      peopleDataProvider({ baseUrl: fake.url, key: 'pdl', rate: fast }),
    ]);
  const idOf = async (who: string) =>
    (await ask(db().db, user.id, `Tell me about ${who}`, {}, { engine: 'builtin' })).contacts[0]!
      .id;
  const contact = async (id: string) =>
    (
      await db().query<Record<string, unknown>>(
        `SELECT name, title, company, location, links, phones, field_sources, avatar_url FROM contacts WHERE id = $1`,
        [id],
      )
    )[0]!;
  const requests = () => Object.values(fake.stats).reduce((n, s) => n + s.requests, 0);

  beforeAll(async () => {
    fake = await startFakeEnrichment();
    fake.people.set('keith.holst@holst.example', {
      email: 'keith.holst@holst.example',
      name: 'Keith Holst',
      title: 'VP Gas Trading',
      company: 'Holst Energy',
      location: 'Houston, TX',
      bio: 'Gas markets, pipelines, and the odd marathon.',
      github: 'kholst',
      x: {
        handle: 'kholst',
        posts: ['Pipeline capacity is the story of the winter.', 'Q2 budget season again.'],
      },
      linkedin: 'https://www.linkedin.com/in/kholst',
    });
    fake.people.set('carla@initech.io', {
      email: 'carla@initech.io',
      name: 'Carla Diaz',
      title: 'Finance Director',
      company: 'Initech',
    });
    user = await createTestUser(db());
    other = await createTestUser(db());
    await importNetworkMailbox(db(), user.id);
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    for (const a of Object.values(fake.apis))
      Object.assign(a, { fail: false, ratePerSecond: 1000, burst: 1000 });
  });

  it('fills a profile from every source in parallel, finds the X handle on GitHub, and stores the X posts', async () => {
    const keith = await idOf('Keith Holst');
    const r = await pipeline().enrichContact(db().db, user.id, keith);
    const status = Object.fromEntries(r.sources.map((s) => [s.source, s.status]));
    expect(status).toEqual({
      signatures: 'ok',
      gravatar: 'ok',
      github: 'ok',
      x: 'ok',
      peopledata: 'ok',
    });
    const c = await contact(keith);
    // The signature's title (from his own mail) is kept: providers only fill or improve.
    expect(c).toMatchObject({
      title: 'Director, Gas Trading',
      company: 'Holst Energy',
      location: 'Houston, TX',
    });
    expect(c.links).toMatchObject({
      github: 'https://github.com/kholst',
      x: 'https://x.com/kholst',
      linkedin: 'https://www.linkedin.com/in/kholst',
    });
    expect((c.field_sources as Record<string, { source: string }>).location?.source).toMatch(
      /^enrichment:/,
    );
    const caller = createCaller(testContext({ db: db().db, user }));
    const shown = await caller.contacts.enrichments({ id: keith });
    const x = shown.find((e) => e.source === 'x')!;
    expect(x.data.posts?.map((p) => p.text)).toEqual([
      'Pipeline capacity is the story of the winter.',
      'Q2 budget season again.',
    ]);
    expect(x.data.posts?.[0]?.url).toMatch(/^https:\/\/x\.com\/kholst\/status\//);
    // Another user sees none of it.
    await expect(
      createCaller(testContext({ db: db().db, user: other })).contacts.enrichments({ id: keith }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reuses cached results within their TTL, and asks again when forced or expired', async () => {
    const keith = await idOf('Keith Holst');
    const before = requests();
    const again = await pipeline().enrichContact(db().db, user.id, keith);
    expect(
      again.sources.filter((s) => s.source !== 'signatures').every((s) => s.status === 'cached'),
    ).toBe(true);
    expect(requests()).toBe(before);
    await db().query(
      `UPDATE enrichments SET expires_at = now() - interval '1 second' WHERE contact_id = $1 AND source = 'gravatar'`,
      [keith],
    );
    await pipeline().enrichContact(db().db, user.id, keith);
    expect(fake.stats.gravatar.requests).toBeGreaterThan(0);
    expect(requests()).toBe(before + 1);
    await pipeline().enrichContact(db().db, user.id, keith, { force: true });
    expect(requests()).toBeGreaterThan(before + 1);
  });

  it('never overwrites what the user edited', async () => {
    const carla = await idOf('Carla Diaz');
    await updateContact(db().db, user.id, carla, { title: 'Head of Money', company: 'Initrode' });
    await pipeline().enrichContact(db().db, user.id, carla, { force: true });
    expect(await contact(carla)).toMatchObject({ title: 'Head of Money', company: 'Initrode' });
  });

  it('keeps going when one provider fails', async () => {
    const carla = await idOf('Carla Diaz');
    fake.apis.pdl.fail = true;
    const r = await pipeline().enrichContact(db().db, user.id, carla, { force: true });
    const pdl = r.sources.find((s) => s.source === 'peopledata')!;
    expect(pdl.status).toBe('error');
    expect(r.sources.find((s) => s.source === 'gravatar')!.status).toBe('ok');
    const [row] = await db().query<{ status: string; error: string }>(
      `SELECT status, error FROM enrichments WHERE contact_id = $1 AND source = 'peopledata'`,
      [carla],
    );
    expect(row).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/500|kept failing/),
    });
  });

  it('waits out a 429 until the reset header says, without a storm of retries', async () => {
    Object.assign(fake.apis.github, { ratePerSecond: 8, burst: 1 });
    const ids = await Promise.all(['Keith Holst', 'Carla Diaz', 'Bob Stone', 'Ann Lee'].map(idOf));
    const github = new EnrichmentPipeline([
      githubProvider({ baseUrl: fake.url, key: 'gh', rate: fast }),
    ]);
    const before = { ...fake.stats.github };
    const results = await Promise.all(
      ids.map((id) => github.enrichContact(db().db, user.id, id, { force: true })),
    );
    expect(
      results.every((r) => r.sources[0]!.status === 'ok' || r.sources[0]!.status === 'not_found'),
    ).toBe(true);
    const limited = fake.stats.github.http429 - before.http429;
    const sent = fake.stats.github.requests - before.requests;
    expect(limited).toBeGreaterThan(0);
    // Search + profile for Keith, search for the others: 5 needed; the 429s stay few.
    expect(sent - limited).toBe(5);
    expect(limited).toBeLessThanOrEqual(6);
  });

  it('enriches the people still without a profile in a batch, and one contact from the CLI', async () => {
    await db().query(
      `INSERT INTO contacts (user_id, email, name) VALUES ($1, 'zed@initech.io', 'Zed'), ($1, 'yan@initech.io', 'Yan')`,
      [user.id],
    );
    const batch = await enrichContacts(db().db, pipeline(), { userId: user.id, newOnly: true });
    expect(batch.contacts).toBe(2);
    expect(batch.failed).toBe(0);
    const again = await enrichContacts(db().db, pipeline(), { userId: user.id, newOnly: true });
    expect(again.contacts).toBe(0);
    const r = (await runCommand({ handle: db(), auth: createTestAuth(db()) }, 'contacts.enrich', {
      user: user.email,
      contact: 'Keith Holst',
    })) as { contact: string; sources: { source: string; status: string }[] };
    expect(r.contact).toBe('keith.holst@holst.example');
    expect(r.sources.map((s) => s.source)).toContain('signatures');
    await expect(
      runCommand({ handle: db(), auth: createTestAuth(db()) }, 'contacts.enrich', {
        user: user.email,
      }),
    ).rejects.toThrow(/--contact|--all/);
  });
});
