// npm run bench:load — the API under load on PostgreSQL while a Gmail sync runs. The production
// app (as `npm start` runs it; BENCH_LOAD_WEB_PROCESSES sets WEB_CONCURRENCY) on a fresh database; one user with a generated, imported mailbox
// plus filler contacts (50,000 in all), signed in over HTTP; a second user's Gmail syncing from
// the fake Gmail (100 ms round trip, quota enforced) in a `rapport worker` process the whole
// time, fed more mail whenever it catches up. autocannon (on
// its own thread: load-driver.ts) drives 100 connections carrying the session at a
// fixed overall rate for 60 s per step: contact-list pages (varied sort, filters, search, page),
// contact pages (the profile, stats, timeline, activity and enrichment batch of one of many
// contacts) and questions to the assistant (streamed; a local OpenAI-compatible model that
// calls one tool and answers, so the measure is the server's own work). Every response is
// checked (200 and the expected shape; a redirect, 401 or 429 is an error). Steps climb from
// the target, then bisect between the last pass and the first failure; pass = p99 < 250 ms, no
// errors, and the rate achieved. Before the sync starts, each endpoint is timed alone, one
// request at a time (`unloaded_p50_ms`: what a request costs). Prints one JSON line (progress
// on stderr). BENCH_LOAD_PROBE_ONLY=1 stops after that probe; BENCH_LOAD_KEEP_DB=1 keeps the
// database for a look at query plans.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { COMPANIES, FIRST_NAMES, LAST_NAMES, TITLES } from '@/server/demo/demo-data';
import { generateMailbox } from '@/server/demo/generate-mailbox';
import { writeGeneratedMbox } from '@/server/demo/write-mbox';
import type { JobDefinition } from '@/server/jobs/define-job';
import { enrichContactsJob } from '@/server/jobs/definitions/contact.enrich';
import { syncGmailJob } from '@/server/jobs/definitions/mail.sync-gmail';
import { JobQueue } from '@/server/jobs/job-queue';
import { importMbox } from '@/server/mail/import-mbox';
import { startFakeGmail } from '../test/fakes/gmail-server';
import { startApp } from '../test/support/app-process';
import { linkFakeGoogle } from '../test/support/google-link';
import { spawnRapportWorker } from '../test/support/spawn-worker';
import { connectionKind, createBenchDatabase } from './bench-database';
import {
  ASK_ENGINE,
  CONNECTIONS,
  KINDS,
  looksRight,
  P99_MS,
  pct,
  requestOf,
  SLOTS,
  startDriver,
  type StepResult,
} from './load-driver';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = num('BENCH_LOAD_SECONDS', 60);
const CONTACTS = num('BENCH_LOAD_CONTACTS', 50_000);
const MESSAGES = num('BENCH_LOAD_MESSAGES', 20_000);
const SYNC_BATCH = num('BENCH_LOAD_SYNC_BATCH', 5_000);
const MAX_STEPS = num('BENCH_LOAD_MAX_STEPS', 8);
/**
 * Web processes (WEB_CONCURRENCY). One: on this 2-core machine PostgreSQL, the sync and the
 * load generator share the cores, and two web processes measured no higher ceiling (~106
 * requests/s either way) with a worse p99 (218 ms against 120 at 100 requests/s).
 */
const WEB_PROCESSES = num('BENCH_LOAD_WEB_PROCESSES', 1);
const TARGET_RPS = 150;
const CLIMB = (process.env.BENCH_LOAD_RATES ?? '150,200,300,400,600,800,1200')
  .split(',')
  .map(Number);
const DESCEND = [100, 50, 25, 10];
const SECRET = crypto.randomBytes(24).toString('base64');
const MIX = Object.fromEntries(
  KINDS.map((k) => [k, SLOTS.filter((s) => s === k).length / SLOTS.length]),
);

const log = (...a: unknown[]) => console.error('[bench:load]', ...a);
const cleanups: (() => Promise<unknown>)[] = [];

/**
 * An OpenAI-compatible model that answers at once and statelessly (100 connections ask at the
 * same time): the first turn calls the tool the question calls for, the second answers with the
 * first person the tool returned.
 */
async function startInstantModel() {
  let calls = 0;
  const sse = (res: http.ServerResponse, delta: Record<string, unknown>, finish: string) => {
    const base = { id: `c${++calls}`, object: 'chat.completion.chunk', created: 0, model: 'm' };
    const send = (choice: Record<string, unknown>) =>
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, ...choice }] })}\n\n`);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    send({ delta: { role: 'assistant', ...delta }, finish_reason: null });
    send({ delta: {}, finish_reason: finish });
    res.end('data: [DONE]\n\n');
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model' }] }));
      }
      const { messages } = JSON.parse(body) as { messages: { role: string; content: string }[] };
      const last = messages.at(-1)!;
      if (last.role === 'tool') {
        const name = /"name":"([^"]+)"/.exec(last.content)?.[1];
        const email = /"email":"([^"]+)"/.exec(last.content)?.[1];
        const text = email ? `${name ?? email} <${email}> is the one.` : 'Nothing in your mail.';
        return sse(res, { content: text }, 'stop');
      }
      const q = messages.find((m) => m.role === 'user')?.content ?? '';
      const [tool, args] = /strongest|top/i.test(q)
        ? ['top_contacts', { metric: 'strength', limit: 10 }]
        : /going cold/i.test(q)
          ? ['going_cold', { limit: 10 }]
          : / at (.+)\?$/.test(q)
            ? ['people_at_company', { company: / at (.+)\?$/.exec(q)![1] }]
            : / about (.+)\?$/.test(q)
              ? ['search_emails', { query: / about (.+)\?$/.exec(q)![1], limit: 10 }]
              : ['list_interactions', { contact: / (?:with|to) (.+)\?$/.exec(q)?.[1] ?? q }];
      const call = { index: 0, id: `t${calls}`, type: 'function' };
      sse(
        res,
        { tool_calls: [{ ...call, function: { name: tool, arguments: JSON.stringify(args) } }] },
        'tool_calls',
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** The main user's data: a generated mailbox imported for real, then filler contacts. */
async function seedUser(db: Awaited<ReturnType<typeof createBenchDatabase>>, userId: string) {
  const file = path.join(os.tmpdir(), `rapport-bench-load-${process.pid}.mbox`);
  await writeGeneratedMbox(file, {
    seed: 7,
    messages: MESSAGES,
    owner: { email: 'load@bench.test', name: 'Load Owner' },
  });
  const summary = await importMbox({ db: db.handle.db, userId, file, owners: ['load@bench.test'] });
  fs.rmSync(file, { force: true });
  const q = db.handle.query.bind(db.handle);
  const [{ n: have }] = (await q<{ n: number }>(
    `SELECT count(*)::int AS n FROM contacts WHERE user_id = $1`,
    [userId],
  )) as [{ n: number }];
  await q(
    `INSERT INTO contacts (user_id, email, name, company, title)
     SELECT $1, lower(f) || '.' || lower(l) || g || '@' || d, f || ' ' || l, c, t
       FROM generate_series(1, $2::int) g,
            LATERAL (SELECT ($3::text[])[1 + g % cardinality($3::text[])] f,
                            ($4::text[])[1 + (g / 7) % cardinality($4::text[])] l,
                            ($5::text[])[1 + g % cardinality($5::text[])] c,
                            ($6::text[])[1 + g % cardinality($6::text[])] d,
                            ($7::text[])[1 + g % cardinality($7::text[])] t) x`,
    [
      userId,
      Math.max(0, CONTACTS - have),
      FIRST_NAMES,
      LAST_NAMES,
      COMPANIES.map((c) => c.name),
      COMPANIES.map((c) => c.domain),
      TITLES,
    ],
  );
  await q(
    `INSERT INTO contact_stats (contact_id, user_id, emails_sent, emails_received, total_emails,
            first_interaction_at, last_interaction_at, strength_score, frequency_score, corresponded)
     SELECT id, user_id, s, r, s + r, now() - interval '700 days',
            now() - (random() * 600 || ' days')::interval, random() * 60, random() * 60, s + r > 0
       -- Long-tailed counts, as in real mail (most people one or two emails, a few hundreds),
       -- drawn per contact.
       FROM (SELECT id, user_id, floor(exp(random() * 4))::int - 1 AS s,
                    floor(exp(random() * 4))::int - 1 AS r
               FROM contacts c
              WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM contact_stats WHERE contact_id = c.id)) x`,
    [userId],
  );
  await q('VACUUM ANALYZE');
  const withMail = await q<{ id: string; name: string; company: string | null }>(
    `SELECT c.id, coalesce(c.name, c.email) AS name, c.company FROM contacts c
       JOIN contact_stats s ON s.contact_id = c.id
      WHERE c.user_id = $1 AND c.is_human AND EXISTS (SELECT 1 FROM interactions i WHERE i.contact_id = c.id)
      ORDER BY s.total_emails DESC`,
    [userId],
  );
  const fillers = await q<{ id: string }>(
    `SELECT id FROM contacts WHERE user_id = $1 ORDER BY random() LIMIT 1000`,
    [userId],
  );
  const companies = [...new Set(withMail.flatMap((p) => (p.company ? [p.company] : [])))];
  return { stored: summary.stored, withMail, companies, fillerIds: fillers.map((r) => r.id) };
}

async function main() {
  const fake = await startFakeGmail({ latencyMs: 100, enforceQuota: true });
  cleanups.push(() => fake.close());
  const model = await startInstantModel();
  cleanups.push(model.close);
  const db = await createBenchDatabase();
  // BENCH_LOAD_KEEP_DB=1 leaves the database for a look at its plans (drop it yourself).
  cleanups.push(() =>
    process.env.BENCH_LOAD_KEEP_DB ? (log(`kept ${db.url}`), db.handle.close()) : db.drop(),
  );
  const google = {
    BETTER_AUTH_SECRET: SECRET,
    ...fake.googleEnv,
    GMAIL_EXCLUDE_CATEGORIES: '',
  };
  log('starting the app (builds first when the sources changed)…');
  const app = await startApp({
    ...google,
    DATABASE_URL: db.url,
    RAPPORT_DEMO: '0',
    WEB_CONCURRENCY: String(WEB_PROCESSES),
    // One user's 100 connections would trip the per-user limits at once; they still run.
    API_RATE_LIMIT_PER_MINUTE: '100000000',
    API_EXPENSIVE_RATE_LIMIT_PER_MINUTE: '100000000',
    // And its questions would spend the day's model budget in seconds (0: no budget).
    AI_CALLS_PER_USER_PER_DAY: '0',
    AI_CALLS_PER_DAY: '0',
    ...(ASK_ENGINE === 'model'
      ? { AI_PROVIDER: 'openai-compatible', AI_BASE_URL: model.url, AI_MODEL: 'fake-model' }
      : { AI_PROVIDER: 'none' }),
  });
  cleanups.push(() => app.stop());

  const auth = (kind: string, body: object) =>
    fetch(`${app.url}/api/auth/${kind}/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify(body),
    });
  const credentials = { email: 'load@bench.test', password: 'bench-load-password' };
  const signUp = await auth('sign-up', { ...credentials, name: 'Load Owner' });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status}`);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const signIn = await auth('sign-in', credentials);
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

  log(`importing ${MESSAGES} generated messages and filling up to ${CONTACTS} contacts…`);
  const data = await seedUser(db, user.id);
  const [counts] = await db.handle.query<{ contacts: number; emails: number }>(
    `SELECT (SELECT count(*) FROM contacts WHERE user_id = $1)::int AS contacts,
            (SELECT count(*) FROM emails WHERE user_id = $1)::int AS emails`,
    [user.id],
  );

  // Each endpoint alone, one request at a time, before the sync starts: what a request costs.
  const unloaded: Record<string, number> = {};
  for (const kind of KINDS) {
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = requestOf(kind, data);
      const t0 = performance.now();
      const res = await fetch(`${app.url}${r.path}`, {
        method: r.method,
        headers: { cookie, origin: app.url, ...(r.headers as Record<string, string>) },
        body: r.body as string | undefined,
      });
      const body = await res.text();
      if (res.status !== 200 || !looksRight(kind, body))
        throw new Error(`unloaded ${kind}: ${res.status} ${body.slice(0, 300)}`);
      times.push(performance.now() - t0);
    }
    unloaded[kind] = pct(times.slice(5), 50);
  }
  log(`one at a time (p50 ms): ${JSON.stringify(unloaded)}`);
  if (process.env.BENCH_LOAD_PROBE_ONLY) {
    console.log(JSON.stringify({ unloaded_p50_ms: unloaded }));
    return;
  }

  // The second user: a Gmail account syncing in a worker process throughout.
  const syncAddress = 'syncer@gmail.test';
  const syncUser = crypto.randomUUID();
  await db.handle.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Syncer', $2)`, [
    syncUser,
    syncAddress,
  ]);
  const { accountId } = await linkFakeGoogle(db.handle.db, fake, {
    userId: syncUser,
    address: syncAddress,
    secret: SECRET,
  });
  const producer = await JobQueue.start(db.handle, {
    definitions: [syncGmailJob, enrichContactsJob] as unknown as JobDefinition[],
    role: 'producer',
  });
  cleanups.push(() => producer.stop());
  const worker = await spawnRapportWorker({ ...google, DATABASE_URL: db.url, AI_PROVIDER: 'none' });
  cleanups.push(() => worker.stop());
  let batches = 0;
  // This process also drives the load and times the responses: new mail is made and handed
  // to the fake Gmail 100 messages at a time, yielding in between (a 5,000-message batch in
  // one go held the event loop for half a second, adding that to every response in flight).
  const feed = async () => {
    const mail = generateMailbox({
      seed: 1000 + batches++,
      messages: SYNC_BATCH,
      owner: { email: syncAddress, name: 'Syncer' },
    });
    let slice: { raw: string; labelIds: string[] }[] = [];
    const hand = async () => {
      fake.addMessages(syncAddress, slice);
      slice = [];
      await new Promise((r) => setImmediate(r));
    };
    for (const m of mail) {
      slice.push({
        raw: m.raw,
        labelIds: m.sender === syncAddress ? ['SENT'] : ['INBOX', 'CATEGORY_PERSONAL'],
      });
      if (slice.length === 100) await hand();
    }
    if (slice.length) await hand();
    await producer.enqueue(syncGmailJob.id, { userId: syncUser, accountId, reason: 'manual' });
  };
  await feed();
  let keeping = true;
  const keeper = (async () => {
    while (keeping) {
      await new Promise((r) => setTimeout(r, 2000));
      const [{ n }] = (await db.handle.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job
          WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
        [syncGmailJob.id],
      )) as [{ n: number }];
      if (n === 0 && keeping) await feed(); // caught up: more mail arrives, and a sync runs again
    }
  })();
  cleanups.push(async () => {
    keeping = false;
    await keeper;
  });
  const synced = async () =>
    (
      (await db.handle.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM emails WHERE user_id = $1`,
        [syncUser],
      )) as [{ n: number }]
    )[0].n;

  const driver = startDriver(app.url, cookie, data);
  cleanups.push(() => driver.close());
  const warm = Math.min(15, SECONDS);
  log(`warming up for ${warm} s at 50 requests/s…`);
  await driver.run(50, warm);

  const syncedBefore = await synced();
  const steps: StepResult[] = [];
  const step = async (rate: number) => {
    log(`${rate} requests/s for ${SECONDS} s…`);
    const r = await driver.run(rate, SECONDS);
    log(JSON.stringify(r));
    steps.push(r);
    await new Promise((res) => setTimeout(res, 2000));
    return r;
  };
  let best: (typeof steps)[number] | undefined;
  let failed: (typeof steps)[number] | undefined;
  for (const rate of CLIMB) {
    const r = await step(rate);
    if (r.pass) best = r;
    else {
      failed = r;
      break;
    }
    if (steps.length >= MAX_STEPS) break;
  }
  if (!best)
    for (const rate of DESCEND) {
      if (steps.length >= MAX_STEPS) break;
      const r = await step(rate);
      if (r.pass) {
        best = r;
        break;
      }
      failed = r;
    }
  while (best && failed && steps.length < MAX_STEPS) {
    const gap = failed.rate_rps - best.rate_rps;
    if (gap <= Math.max(5, best.rate_rps * 0.1)) break;
    const r = await step(Math.round((best.rate_rps + failed.rate_rps) / 10) * 5);
    if (r.pass) best = r;
    else failed = r;
  }
  const syncedDuring = (await synced()) - syncedBefore;

  console.log(
    JSON.stringify({
      max_rate_rps: best?.rate_rps ?? 0,
      p50_ms: best?.p50_ms ?? null,
      p99_ms: best?.p99_ms ?? null,
      errors: best?.errors ?? null,
      target_rps: TARGET_RPS,
      target_met: (best?.rate_rps ?? 0) >= TARGET_RPS,
      p99_limit_ms: P99_MS,
      seconds_per_step: SECONDS,
      connections: CONNECTIONS,
      web_processes: WEB_PROCESSES,
      database_connection: connectionKind(db.url),
      mix: MIX,
      ask_engine: ASK_ENGINE,
      contacts: counts!.contacts,
      emails: counts!.emails,
      sync_messages_stored: syncedDuring,
      sync_batches_fed: batches,
      sync_messages_per_s: Math.round((syncedDuring / (steps.length * (SECONDS + 2))) * 10) / 10,
      at_max: best?.endpoints ?? null,
      unloaded_p50_ms: unloaded,
      steps: steps.map(({ endpoints: _e, ...s }) => s),
    }),
  );
}

let exitCode = 0;
const shutdown = async () => {
  for (const c of cleanups.reverse()) await c().catch((e: Error) => log('cleanup:', e.message));
  cleanups.length = 0;
};
process.once('SIGINT', () => void shutdown().then(() => process.exit(130)));
try {
  await main();
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await shutdown();
}
process.exit(exitCode);
