// npm run bench:enrich — 5,000 contacts enriched by the four network providers against local
// fakes that allow 50 requests/s each with 100 ms latency, on a fresh PostgreSQL database.
// Prints contacts per second and the share of the rate limit used on the provider that bounds
// the run (GitHub and X take two requests per contact). One JSON line.
import crypto from 'node:crypto';
import { enrichContacts } from '@/server/enrichment/enrich-contacts';
import { EnrichmentPipeline } from '@/server/enrichment/pipeline';
import {
  githubProvider,
  gravatarProvider,
  peopleDataProvider,
  xProvider,
} from '@/server/enrichment/providers/network-providers';
import { startFakeEnrichment } from '../test/fakes/enrichment-server';
import { createBenchDatabase } from './bench-database';

const CONTACTS = Number(process.env.BENCH_ENRICH_CONTACTS ?? 5000);
const LIMIT = 50; // requests per second each fake allows
const fake = await startFakeEnrichment({ ratePerSecond: LIMIT, burst: LIMIT, latencyMs: 100 });
const db = await createBenchDatabase();
try {
  const userId = crypto.randomUUID();
  await db.handle.query(
    `INSERT INTO users (id, name, email) VALUES ($1, 'Bench', 'bench@enrich.test')`,
    [userId],
  );
  const rows = Array.from({ length: CONTACTS }, (_, i) => ({
    email: `person${i}@corp${i % 97}.test`,
    name: `Person ${i}`,
    handle: `p${i}`,
  }));
  for (const r of rows)
    fake.people.set(r.email, {
      email: r.email,
      name: r.name,
      title: 'Engineer',
      company: `Corp ${r.email.split('@')[1]}`,
      github: r.handle,
      x: { handle: r.handle, posts: [`Hello from ${r.name}`] },
    });
  await db.handle.query(
    `INSERT INTO contacts (user_id, email, name, links)
     SELECT $1, v.email, v.name, jsonb_build_object('x', 'https://x.com/' || v.handle)
       FROM json_to_recordset($2::json) AS v(email text, name text, handle text)`,
    [userId, JSON.stringify(rows)],
  );
  // Each provider keeps just under the fakes' limit (the published limits are the defaults).
  const rate = { unitsPerSecond: LIMIT * 0.98, burst: 5, unitsPerMinute: LIMIT * 60 };
  // One user alone: the whole of each provider's rate, and no daily budget (what is measured is
  // the pipeline's pace, not the deployment's spending limits).
  const pipeline = new EnrichmentPipeline(
    [
      gravatarProvider({ baseUrl: fake.url, key: 'k', rate }),
      githubProvider({ baseUrl: fake.url, key: 'k', rate }),
      xProvider({ baseUrl: fake.url, key: 'k', rate }),
      peopleDataProvider({ baseUrl: fake.url, key: 'k', rate }),
    ],
    { budget: { perUserPerDay: 0, perDay: 0 }, share: 1 },
  );
  const t0 = performance.now();
  const r = await enrichContacts(db.handle.db, pipeline, {
    userId,
    limit: CONTACTS,
    concurrency: 48,
  });
  const seconds = (performance.now() - t0) / 1000;
  const perSecond = (api: keyof typeof fake.stats) =>
    (fake.stats[api].requests - fake.stats[api].http429) / seconds;
  const bound = perSecond('github') >= perSecond('x') ? 'github' : 'x';
  const [posts] = await db.handle.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM enrichments WHERE source = 'x' AND status = 'ok'`,
  );
  console.log(
    JSON.stringify({
      contacts: r.contacts,
      enriched: r.enriched,
      failed: r.failed,
      with_x_posts: posts!.n,
      seconds: Math.round(seconds * 10) / 10,
      contacts_per_s: Math.round((r.contacts / seconds) * 10) / 10,
      bound_provider: bound,
      rate_limit_share: Math.round((perSecond(bound) / LIMIT) * 1000) / 1000,
      requests_per_s: Object.fromEntries(
        (['gravatar', 'github', 'x', 'pdl'] as const).map((a) => [
          a,
          Math.round(perSecond(a) * 10) / 10,
        ]),
      ),
      http_429: Object.values(fake.stats).reduce((n, s) => n + s.http429, 0),
    }),
  );
} finally {
  await db.drop();
  await fake.close();
}
