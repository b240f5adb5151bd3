// npm run soak — a fault soak of Gmail sync. The local fake Gmail answers 20% of API requests
// with an injected fault (5xx/429/403-rate-limit, connection resets, slow answers) while 3 users'
// generated mailboxes sync through the real job queue in separate worker processes, which are
// SIGKILLed and replaced at seeded random moments until every sync is done. New mail arrives
// mid-sync and after it (with deletions and label changes), so the history path is soaked too.
// Then it checks: every message stored exactly once, every contact's stats equal to a
// from-scratch recompute, and the share of jobs that completed within the retry limit.
// Prints one JSON line (progress goes to stderr); exits 1 when a check fails.
//
// Production job options (retry limits, retry delays and backoff) are imported from the job
// definitions and left alone. Shortened so a killed worker's job comes back within the run:
// the job expiry (SOAK_EXPIRE_SECONDS, 45 s instead of 15/30 min), with each sync job's run cut
// to SOAK_SYNC_JOB_SECONDS (GMAIL_SYNC_JOB_SECONDS, 15 s instead of 300 s) so the expiry still
// exceeds a live job's run as in production, and pg-boss maintenance every second (30 s in
// production) so expired jobs are noticed promptly. Polling stays at production's 0.5 s.
// The workers run the jobs a Gmail sync involves: mail.sync-gmail and the contact.enrich it
// queues (stats are recomputed inside the sync). Mail is synced with GMAIL_EXCLUDE_CATEGORIES=''
// so every message counts. Env: SOAK_USERS, SOAK_MESSAGES, SOAK_NEW_MESSAGES, SOAK_DELETES,
// SOAK_SEED, SOAK_WORKERS, SOAK_FAULT_RATE, SOAK_SLOW_MS, SOAK_KILL_MIN_S, SOAK_KILL_MAX_S,
// SOAK_EXPIRE_SECONDS, SOAK_SYNC_JOB_SECONDS, SOAK_DEADLINE_S; SOAK_KEEP_DB=1 keeps the database.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf } from '@/server/db/client';
import { generateMailbox, type GeneratedMessage } from '@/server/demo/generate-mailbox';
import { Random } from '@/server/demo/random';
import type { JobDefinition } from '@/server/jobs/define-job';
import { enrichContactsJob } from '@/server/jobs/definitions/contact.enrich';
import { syncGmailJob } from '@/server/jobs/definitions/mail.sync-gmail';
import { JobQueue } from '@/server/jobs/job-queue';
import { startFakeGmail, type FakeGmail } from '../test/fakes/gmail-server';
import { linkFakeGoogle } from '../test/support/google-link';
import { runJobWorker } from '../test/support/run-job-worker';
import { createBenchDatabase, type BenchDatabase } from './bench-database';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const USERS = num('SOAK_USERS', 3);
const MESSAGES = num('SOAK_MESSAGES', 1500);
const NEW_MESSAGES = num('SOAK_NEW_MESSAGES', 60);
const DELETES = num('SOAK_DELETES', 15);
const SEED = num('SOAK_SEED', 1);
const WORKERS = num('SOAK_WORKERS', 3);
const FAULT_RATE = num('SOAK_FAULT_RATE', 0.2);
const SLOW_MS = num('SOAK_SLOW_MS', 3000);
const KILL_MIN_S = num('SOAK_KILL_MIN_S', 15);
const KILL_MAX_S = num('SOAK_KILL_MAX_S', 50);
const EXPIRE_SECONDS = num('SOAK_EXPIRE_SECONDS', 45);
const SYNC_JOB_SECONDS = num('SOAK_SYNC_JOB_SECONDS', 15);
const DEADLINE_S = num('SOAK_DEADLINE_S', 900);
const SECRET = 'soak-gmail-secret-0123456789abcdef';

/** The production definitions, with only the expiry shortened (see the header). */
const definitions = [syncGmailJob, enrichContactsJob].map((d) => ({
  ...d,
  options: { ...d.options, expireInSeconds: EXPIRE_SECONDS },
})) as unknown as JobDefinition[];
const production = new Map(
  ([syncGmailJob, enrichContactsJob] as unknown as JobDefinition[]).map((d) => [d.id, d.options]),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`[soak] ${s}\n`);

type Worker = { child: ChildProcess; killed: boolean };
type Expected = { messageId: string; labels: Set<string> };
type SoakUser = {
  id: string;
  address: string;
  accountId: string;
  /** Generated messages not yet in the fake (the mid-run arrivals). */
  later: GeneratedMessage[];
  /** What the fake holds now: Gmail id → Message-ID and labels. */
  expected: Map<string, Expected>;
};

const labelsFor = (m: GeneratedMessage, owner: string) =>
  m.sender === owner
    ? ['SENT']
    : /^Precedence: bulk/m.test(m.raw)
      ? ['INBOX', 'CATEGORY_PROMOTIONS']
      : /^Auto-Submitted:/m.test(m.raw)
        ? ['INBOX', 'CATEGORY_UPDATES']
        : ['INBOX', 'CATEGORY_PERSONAL'];

function addToFake(fake: FakeGmail, u: SoakUser, messages: GeneratedMessage[]) {
  const labels = messages.map((m) => labelsFor(m, u.address));
  const ids = fake.addMessages(
    u.address,
    messages.map((m, i) => ({ raw: m.raw, labelIds: labels[i] })),
  );
  ids.forEach((id, i) => {
    const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(messages[i]!.raw)![1]!;
    u.expected.set(id, { messageId, labels: new Set(labels[i]) });
  });
  return ids.length;
}

async function main(): Promise<number> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  const rng = new Random(SEED);
  // Faults are drawn in order (reset, then error, then slow): conditional rates give the split
  // a quarter resets, half errors (5xx, 429, 403 rate limits), a quarter slow answers.
  const drop = FAULT_RATE / 4;
  const error = FAULT_RATE / 2 / (1 - drop);
  const slow = FAULT_RATE / 4 / (1 - drop - FAULT_RATE / 2);
  const fake = await startFakeGmail({
    seed: SEED,
    latencyMs: 5,
    dropRate: drop,
    errorRate: error,
    slowRate: slow,
    slowMs: SLOW_MS,
  });
  let db: BenchDatabase | null = null;
  let producer: JobQueue | null = null;
  const workers = new Set<Worker>();
  let workersStarted = 0;
  let workerCrashes = 0;
  let kills = 0;
  let chaos = true;
  const interrupt = () => {
    for (const w of workers) w.child.kill('SIGKILL');
    void db?.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);

  try {
    db = await createBenchDatabase();
    const database = db;
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      NODE_ENV: 'production',
      BETTER_AUTH_SECRET: SECRET,
      ...fake.googleEnv,
      PEOPLE_API_URL: fake.url,
      GMAIL_EXCLUDE_CATEGORIES: '',
      GMAIL_SYNC_JOB_SECONDS: String(SYNC_JOB_SECONDS),
    };
    // The producer creates pg-boss's schema and queues before any worker starts.
    producer = await JobQueue.start(db.handle, { definitions, role: 'producer' });

    const users: SoakUser[] = [];
    for (let i = 0; i < USERS; i++) {
      const address = `soak${i}@gmail.test`;
      const id = crypto.randomUUID();
      await db.handle.query(`INSERT INTO users (id, name, email) VALUES ($1, $2, $3)`, [
        id,
        `Soak ${i}`,
        address,
      ]);
      const all = [
        ...generateMailbox({
          seed: SEED * 1000 + i,
          messages: MESSAGES + 2 * NEW_MESSAGES,
          owner: { email: address, name: `Soak Owner${i}` },
        }),
      ];
      const { accountId } = await linkFakeGoogle(db.handle.db, fake, {
        userId: id,
        address,
        secret: SECRET,
      });
      const u: SoakUser = {
        id,
        address,
        accountId,
        later: all.slice(MESSAGES),
        expected: new Map(),
      };
      addToFake(fake, u, all.slice(0, MESSAGES));
      users.push(u);
    }
    const initial = USERS * MESSAGES;
    log(`${USERS} users × ${MESSAGES} messages in the fake; database ${db.name}`);

    const spawnWorker = async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), 'worker'],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const w: Worker = { child, killed: false };
      workersStarted++;
      child.stderr!.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n').filter(Boolean))
          process.stderr.write(`[worker ${child.pid}] ${line}\n`);
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.once('exit', (code, signal) => {
          workers.delete(w);
          if (!w.killed) {
            workerCrashes++;
            log(`worker ${child.pid} exited by itself (${code ?? signal})`);
            if (chaos) void spawnWorker().catch((e: Error) => log(e.message));
          }
          reject(new Error(`worker exited before it was ready (${code ?? signal})`));
        });
      });
      workers.add(w);
      return w;
    };
    await Promise.all(Array.from({ length: WORKERS }, spawnWorker));

    // Connecting Google queues the first sync, as linkGmail does.
    for (const u of users)
      await producer.enqueue(syncGmailJob, {
        userId: u.id,
        accountId: u.accountId,
        reason: 'connect',
      });

    // Chaos: at seeded random moments one worker is SIGKILLed and a fresh one takes its place.
    const chaosLoop = (async () => {
      for (;;) {
        const wait = (KILL_MIN_S + rng.next() * (KILL_MAX_S - KILL_MIN_S)) * 1000;
        for (const end = Date.now() + wait; chaos && Date.now() < end;) await sleep(200);
        if (!chaos) return;
        const live = [...workers];
        const victim = live[Math.floor(rng.next() * live.length)];
        if (!victim) continue;
        victim.killed = true;
        const gone = new Promise((r) => victim.child.once('exit', r));
        victim.child.kill('SIGKILL');
        await gone;
        kills++;
        log(`${elapsed()}s: killed worker ${victim.child.pid} (kill ${kills})`);
        await sleep(rng.next() * 2000);
        if (chaos) await spawnWorker().catch((e: Error) => log(`replacement failed: ${e.message}`));
      }
    })();

    const queues = definitions.map((d) => d.id);
    const pendingJobs = async () =>
      (
        await database.handle.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = ANY($1) AND state < 'completed'`,
          [queues],
        )
      )[0]!.n;
    const push = async (why: string) => {
      for (const u of users)
        await producer!.enqueue(syncGmailJob, {
          userId: u.id,
          accountId: u.accountId,
          reason: 'push',
        });
      log(`${elapsed()}s: ${why}; push syncs queued`);
    };
    const incremental = { added: 0, deleted: 0, relabelled: 0 };
    let wave = 0;
    let quiet = 0;
    let lastProgress = 0;
    let deadlineExceeded = false;
    for (;;) {
      await sleep(1000);
      const [stored] = await db.handle.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM emails',
      );
      const accounts = await db.handle.query<{ done: boolean }>(
        `SELECT history_id IS NOT NULL AND sync_cursor IS NULL AS done FROM mail_accounts`,
      );
      const pending = await pendingJobs();
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now();
        const states = await db.handle.query<{ state: string; n: number }>(
          `SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = ANY($1) GROUP BY 1 ORDER BY 1`,
          [queues],
        );
        log(
          `${elapsed()}s: stored ${stored!.n}/${initial + incremental.added - incremental.deleted}` +
            ` | jobs ${states.map((s) => `${s.state} ${s.n}`).join(', ')}` +
            ` | workers ${workers.size}, kills ${kills}`,
        );
      }
      if (wave === 0 && stored!.n >= initial / 2) {
        // New mail while the full syncs run: caught by the history read that ends each sync.
        for (const u of users)
          incremental.added += addToFake(fake, u, u.later.slice(0, NEW_MESSAGES));
        wave = 1;
        await push('new mail arrived mid-sync');
      } else if (wave === 1 && (accounts.every((a) => a.done) || pending === 0)) {
        // After the full syncs: more mail, deletions and label changes, read from history.
        for (const u of users) {
          incremental.added += addToFake(fake, u, u.later.slice(NEW_MESSAGES));
          const ids = [...u.expected.keys()];
          for (let i = 0; i < DELETES; i++) {
            const id = ids[Math.floor(rng.next() * ids.length)]!;
            if (!u.expected.has(id)) continue;
            fake.deleteMessage(u.address, id);
            u.expected.delete(id);
            incremental.deleted++;
          }
          for (let i = 0; i < DELETES; i++) {
            const id = ids[Math.floor(rng.next() * ids.length)]!;
            const e = u.expected.get(id);
            if (!e) continue;
            fake.modifyLabels(u.address, id, ['STARRED'], ['INBOX']);
            e.labels.add('STARRED');
            e.labels.delete('INBOX');
            incremental.relabelled++;
          }
        }
        wave = 2;
        await push('more mail, deletions and label changes');
      } else if (wave === 2) {
        quiet = pending === 0 ? quiet + 1 : 0;
        if (quiet >= 3) break;
      }
      if (elapsed() > DEADLINE_S) {
        deadlineExceeded = true;
        log(`DEADLINE: ${DEADLINE_S}s passed with ${pending} jobs unfinished`);
        break;
      }
    }
    chaos = false;
    await chaosLoop;
    await Promise.all(
      [...workers].map(async (w) => {
        w.killed = true;
        const gone = new Promise((r) => w.child.once('exit', r));
        w.child.kill('SIGTERM');
        await gone;
      }),
    );
    const syncSeconds = elapsed();
    log(`${syncSeconds}s: syncs done; verifying`);

    const messages = await checkMessages(db, users);
    const stats = await checkStats(db);
    const jobs = await checkJobs(db, queues);
    const faults = {
      requests: fake.stats.requests,
      injected: fake.stats.injectedErrors + fake.stats.dropped + fake.stats.slowed,
      share:
        Math.round(
          ((fake.stats.injectedErrors + fake.stats.dropped + fake.stats.slowed) /
            Math.max(1, fake.stats.requests)) *
            1000,
        ) / 1000,
      http_500: fake.stats.injectedByStatus[500] ?? 0,
      http_503: fake.stats.injectedByStatus[503] ?? 0,
      http_429: fake.stats.injectedByStatus[429] ?? 0,
      http_403: fake.stats.injectedByStatus[403] ?? 0,
      resets: fake.stats.dropped,
      slow: fake.stats.slowed,
      quota_429: fake.stats.http429 - (fake.stats.injectedByStatus[429] ?? 0),
    };
    const ok =
      !deadlineExceeded &&
      messages.messages_lost === 0 &&
      messages.messages_duplicated === 0 &&
      messages.messages_extra === 0 &&
      stats.stats_mismatches === 0 &&
      stats.interaction_gaps === 0 &&
      jobs.job_completion >= 0.999;
    console.log(
      JSON.stringify({
        ok,
        seed: SEED,
        users: USERS,
        messages_per_user: MESSAGES,
        ...messages,
        ...stats,
        ...jobs,
        kills,
        workers: WORKERS,
        workers_started: workersStarted,
        worker_crashes: workerCrashes,
        incremental,
        faults,
        deadline_exceeded: deadlineExceeded,
        sync_seconds: syncSeconds,
        elapsed_s: elapsed(),
      }),
    );
    return ok ? 0 : 1;
  } finally {
    chaos = false;
    process.off('SIGINT', interrupt);
    for (const w of workers) {
      w.killed = true;
      w.child.kill('SIGKILL');
    }
    await producer?.stop().catch(() => {});
    if (process.env.SOAK_KEEP_DB === '1' && db) {
      await db.handle.close();
      log(`database kept: ${db.url}`);
    } else await db?.drop();
    await fake.close();
  }
}

/** Every message in the fake stored once (by Gmail id or, merged, by Message-ID); nothing else. */
async function checkMessages(db: BenchDatabase, users: SoakUser[]) {
  const rows = await db.handle.query<{
    user_id: string;
    pmid: string;
    mid: string | null;
    labels: string[];
  }>(`SELECT user_id, provider_message_id AS pmid, message_id_header AS mid, labels FROM emails`);
  let lost = 0;
  let duplicated = 0;
  let extra = 0;
  let labelsMismatched = 0;
  for (const u of users) {
    const mine = rows.filter((r) => r.user_id === u.id);
    const byPmid = new Map<string, number>();
    const byMid = new Map<string, number>();
    for (const r of mine) {
      byPmid.set(r.pmid, (byPmid.get(r.pmid) ?? 0) + 1);
      if (r.mid) byMid.set(r.mid, (byMid.get(r.mid) ?? 0) + 1);
    }
    for (const n of [...byPmid.values(), ...byMid.values()]) duplicated += n - 1;
    const expectedMids = new Set([...u.expected.values()].map((e) => e.messageId));
    for (const [id, e] of u.expected) if (!byPmid.has(id) && !byMid.has(e.messageId)) lost++;
    for (const r of mine) {
      const e = u.expected.get(r.pmid);
      if (!e && !(r.mid && expectedMids.has(r.mid))) extra++;
      if (e && (r.labels.length !== e.labels.size || r.labels.some((l) => !e.labels.has(l))))
        labelsMismatched++;
    }
  }
  return {
    messages_expected: users.reduce((n, u) => n + u.expected.size, 0),
    messages_stored: rows.length,
    messages_lost: lost,
    messages_duplicated: duplicated,
    messages_extra: extra,
    labels_mismatched: labelsMismatched,
  };
}

const EXACT = [
  'user_id',
  'emails_sent',
  'emails_received',
  'total_emails',
  'first_interaction_at',
  'last_interaction_at',
  'first_sent_at',
  'last_sent_at',
  'first_received_at',
  'last_received_at',
  'their_replied_threads',
  'my_replied_threads',
  'going_cold',
];
const REAL = [
  'their_reply_median_hours',
  'their_reply_mean_hours',
  'my_reply_median_hours',
  'my_reply_mean_hours',
  'frequency_score',
  'strength_score',
  'usual_gap_days',
  'cold_score',
];

class Rollback extends Error {}

/**
 * Every contact's stored stats against a from-scratch recompute from its interactions, field by
 * field, at the moment each row was computed (the scores decay with time): in a transaction
 * that is rolled back. Plus an independent check that each stored email's non-owner
 * participants have their interaction rows (what the stats are computed from).
 */
async function checkStats(db: BenchDatabase) {
  let result = { contacts: 0, stats_mismatches: 0, stats_missing: 0, mismatched_fields: {} };
  await db.handle.db
    .transaction(async (tx) => {
      await tx.execute(
        sql`CREATE TEMP TABLE soak_stored ON COMMIT DROP AS SELECT * FROM contact_stats`,
      );
      const groups = rowsOf<{ user_id: string; at: Date; ids: string[] }>(
        await tx.execute(sql`
          SELECT user_id, computed_at AS at, array_agg(contact_id::text) AS ids
            FROM contact_stats GROUP BY 1, 2`),
      );
      for (const g of groups)
        await recomputeStats(tx, { userId: g.user_id, contactIds: g.ids, now: new Date(g.at) });
      const missing = rowsOf<{ user_id: string; ids: string[] }>(
        await tx.execute(sql`
          SELECT user_id, array_agg(id::text) AS ids FROM contacts c
           WHERE NOT EXISTS (SELECT 1 FROM contact_stats s WHERE s.contact_id = c.id) GROUP BY 1`),
      );
      const fields = [
        ...EXACT.map((f) => `CASE WHEN a.${f} IS DISTINCT FROM b.${f} THEN '${f}' END`),
        ...REAL.map(
          (f) =>
            `CASE WHEN (a.${f} IS NULL) <> (b.${f} IS NULL) OR abs(a.${f} - b.${f}) > 1e-4 * greatest(1, abs(b.${f})) THEN '${f}' END`,
        ),
      ];
      const diffs = rowsOf<{ fields: string[] }>(
        await tx.execute(
          sql.raw(`
            SELECT fields FROM (
              SELECT array_remove(ARRAY[${fields.join(', ')}], NULL) AS fields
                FROM soak_stored a JOIN contact_stats b USING (contact_id)) d
             WHERE cardinality(fields) > 0`),
        ),
      );
      const [count] = rowsOf<{ n: number }>(
        await tx.execute(sql`SELECT count(*)::int AS n FROM contacts`),
      );
      const byField: Record<string, number> = {};
      for (const d of diffs) for (const f of d.fields) byField[f] = (byField[f] ?? 0) + 1;
      const missingCount = missing.reduce((n, m) => n + m.ids.length, 0);
      result = {
        contacts: count!.n,
        stats_mismatches: diffs.length + missingCount,
        stats_missing: missingCount,
        mismatched_fields: byField,
      };
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  const [gaps] = await db.handle.query<{ n: number }>(`
    SELECT count(*)::int AS n
      FROM emails e JOIN mail_accounts a ON a.id = e.account_id
      CROSS JOIN LATERAL unnest(e.participants) AS p(address)
     WHERE lower(p.address) <> lower(a.address)
       AND NOT EXISTS (SELECT 1 FROM unnest(a.aliases) x WHERE lower(x) = lower(p.address))
       AND NOT EXISTS (SELECT 1 FROM interactions i
                         JOIN contact_emails ce ON ce.contact_id = i.contact_id
                        WHERE i.email_id = e.id AND lower(ce.email) = lower(p.address))`);
  return { ...result, interaction_gaps: gaps!.n };
}

/** Every job the run created (live and archived), how it ended, against production's limits. */
async function checkJobs(db: BenchDatabase, queues: string[]) {
  const rows = await db.handle.query<{
    name: string;
    state: string;
    retry_count: number;
    retry_limit: number;
    n: number;
  }>(
    `SELECT name, state::text, retry_count, retry_limit, count(*)::int AS n FROM (
       SELECT name, state, retry_count, retry_limit FROM pgboss.job WHERE name = ANY($1)
       UNION ALL
       SELECT name, state, retry_count, retry_limit FROM pgboss.archive WHERE name = ANY($1)) j
     GROUP BY 1, 2, 3, 4`,
    [queues],
  );
  const byQueue: Record<string, Record<string, number>> = {};
  let created = 0;
  let completed = 0;
  let failed = 0;
  let exhausted = 0;
  let overLimit = 0;
  let wrongLimit = 0;
  let retries = 0;
  let maxRetries = 0;
  // Why jobs failed (the last error pg-boss kept), for the report.
  const failures = await db.handle.query<{ name: string; retry_count: number; error: string }>(
    `SELECT name, retry_count, left(coalesce(output->>'message', output::text), 200) AS error
       FROM (SELECT name, retry_count, output, state FROM pgboss.job WHERE name = ANY($1)
             UNION ALL
             SELECT name, retry_count, output, state FROM pgboss.archive WHERE name = ANY($1)) j
      WHERE state = 'failed' LIMIT 10`,
    [queues],
  );
  for (const r of rows) {
    const limit = production.get(r.name)!.retryLimit;
    const q = (byQueue[r.name] ??= {});
    q[r.state] = (q[r.state] ?? 0) + r.n;
    created += r.n;
    if (r.state === 'completed') completed += r.n;
    if (r.state === 'failed') failed += r.n;
    if (r.state === 'failed' && r.retry_count >= limit) exhausted += r.n;
    if (r.retry_count > limit) overLimit += r.n;
    if (r.retry_limit !== limit) wrongLimit += r.n;
    retries += r.retry_count * r.n;
    maxRetries = Math.max(maxRetries, r.retry_count);
  }
  return {
    jobs_created: created,
    jobs_completed: completed,
    jobs_failed: failed,
    jobs_failed_retries_exhausted: exhausted,
    jobs_over_retry_limit: overLimit,
    jobs_not_on_production_limit: wrongLimit,
    job_completion: Math.round((completed / Math.max(1, created)) * 100_000) / 100_000,
    job_retries: retries,
    job_max_retries: maxRetries,
    jobs_by_queue: byQueue,
    job_failures: failures,
  };
}

// Last, so every declaration above is initialised first.
if (process.argv[2] === 'worker') await runJobWorker(definitions, { poolSize: 6 });
else process.exitCode = await main();
