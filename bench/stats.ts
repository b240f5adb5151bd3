// npm run bench:stats — relationship stats at scale on PostgreSQL: 1,000,000 messages and
// 50,000 contacts generated straight into the database (cached as a pg_dump between runs),
// then a full recompute, an incremental recompute after a 1,000-message sync, and the latency
// of getTopContacts and of the contact list sorted by strength. Prints one JSON line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { getTopContacts } from '@/server/analytics/top-contacts';
import { listContacts } from '@/server/contacts/contact-queries';
import { migrate } from '@/server/db/migrate';
import { createBenchDatabase } from './bench-database';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 50_000);
const CACHE = path.join(os.tmpdir(), `rapport-bench-stats-${MESSAGES}-${CONTACTS}-v2.dump`); // v2: contact_stats gained columns (a v1 dump restores the old schema)
const USER = 'bench-user';

const db = await createBenchDatabase({ migrate: false });
const { name, url, handle } = db;
const u = new URL(url);
const pgArgs = [
  '-h',
  u.hostname,
  '-p',
  u.port || '5432',
  '-U',
  decodeURIComponent(u.username || 'postgres'),
];

try {
  if (fs.existsSync(CACHE)) {
    execFileSync('pg_restore', [...pgArgs, '-d', name, '--no-owner', CACHE], { stdio: 'ignore' });
  } else {
    await migrate(handle);
    // Contacts, then threads of 1–5 messages each with one contact, over two years; every
    // tenth message also copies a second contact.
    await handle.query(
      `INSERT INTO users (id, name, email) VALUES ('${USER}', 'Bench', 'bench@bench.test')`,
    );
    await handle.query(
      `INSERT INTO contacts (id, user_id, email, name)
       SELECT md5('c' || g)::uuid, '${USER}', 'person' || g || '@company' || (g % 997) || '.test', 'Person ' || g
         FROM generate_series(1, $1) g`,
      [CONTACTS],
    );
    await handle.query(
      `INSERT INTO emails (id, user_id, source, provider_message_id, thread_id, subject, subject_norm,
         from_email, sent_at, direction, body_text)
       SELECT md5('e' || g)::uuid, '${USER}', 'mbox', 'm' || g, 't' || (g / 3), 'Subject ' || (g / 3), 'subject ' || (g / 3),
         'person' || ((g / 3) % $2 + 1) || '@x.test',
         now() - ((g / 3) % 730) * interval '1 day' + (g % 3) * interval '3 hours',
         CASE WHEN g % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
         'Body of message ' || g
         FROM generate_series(1, $1) g`,
      [MESSAGES, CONTACTS],
    );
    await handle.query(
      `INSERT INTO interactions (user_id, contact_id, email_id, direction, role, thread_id, occurred_at)
       SELECT e.user_id, md5('c' || ((substring(e.thread_id FROM 2)::bigint) % $1 + 1))::uuid, e.id, e.direction,
              CASE WHEN e.direction = 'inbound' THEN 'from' ELSE 'to' END, e.thread_id, e.sent_at
         FROM emails e`,
      [CONTACTS],
    );
    await handle.query(
      `INSERT INTO interactions (user_id, contact_id, email_id, direction, role, thread_id, occurred_at)
       SELECT e.user_id, md5('c' || ((substring(e.thread_id FROM 2)::bigint * 7) % $1 + 1))::uuid, e.id, e.direction, 'cc', e.thread_id, e.sent_at
         FROM emails e WHERE substring(e.provider_message_id FROM 2)::bigint % 10 = 0
       ON CONFLICT DO NOTHING`,
      [CONTACTS],
    );
    await handle.query('VACUUM ANALYZE');
    execFileSync('pg_dump', [...pgArgs, '-Fc', '-f', CACHE, name], { stdio: 'ignore' });
  }
  await handle.query('ANALYZE');

  let t = performance.now();
  const contacts = await recomputeStats(handle.db, { userId: USER });
  const full = (performance.now() - t) / 1000;

  // A 1,000-message sync touching ~1,000 contacts: recompute just those.
  const touched = (
    await handle.query<{ id: string }>(
      `SELECT id FROM contacts WHERE user_id = $1 ORDER BY md5(id::text) LIMIT 1000`,
      [USER],
    )
  ).map((r) => r.id);
  await handle.query(
    `INSERT INTO interactions (user_id, contact_id, direction, role, thread_id, occurred_at)
     SELECT $1, id, 'inbound', 'from', 'sync-' || id, now() FROM unnest($2::uuid[]) id`,
    [USER, touched],
  );
  t = performance.now();
  await recomputeStats(handle.db, { userId: USER, contactIds: touched });
  const incremental = (performance.now() - t) / 1000;

  const timeIt = async (fn: () => Promise<unknown>, runs = 60) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await fn();
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]! * 10) / 10;
    return { p50: pct(50), p95: pct(95) };
  };
  const top = await timeIt(() =>
    getTopContacts(handle.db, USER, { metric: 'strength', limit: 20 }),
  );
  let page = 0;
  const list = await timeIt(() =>
    listContacts(handle.db, {
      userId: USER,
      limit: 50,
      offset: (page++ % 20) * 50,
      humansOnly: true,
    }),
  );

  console.log(
    JSON.stringify({
      messages: MESSAGES,
      contacts,
      full_recompute_s: Math.round(full * 100) / 100,
      incremental_recompute_s: Math.round(incremental * 1000) / 1000,
      top_p50_ms: top.p50,
      top_p95_ms: top.p95,
      list_p50_ms: list.p50,
      list_p95_ms: list.p95,
    }),
  );
} finally {
  await db.drop();
}
process.exit(0);
