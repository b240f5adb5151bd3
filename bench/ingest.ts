// npm run bench:ingest — imports ../shared/data/mailbox/*.mbox (6,491 real messages) and a
// generated 100,000-message mbox into fresh PostgreSQL databases, end to end (parse + store +
// contacts + interactions), beside `mu index` on the same corpus (in turns, BENCH_RUNS times,
// medians reported). Also the parser alone and the store alone (messages parsed beforehand).
// Prints one JSON line.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbHandle } from '@/server/db/client';
import { writeGeneratedMbox } from '@/server/demo/write-mbox';
import { importMboxes } from '@/server/mail/import-mbox';
import { openMbox, readMbox } from '@/server/mail/mbox-reader';
import { ParsePool } from '@/server/mail/parse-pool';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { createBenchDatabase } from './bench-database';

const CORPUS = path.resolve(import.meta.dirname, '../../shared/data/mailbox');
const GENERATED = Number(process.env.BENCH_GENERATED ?? 100_000);
/** Runs of the real corpus (and of mu beside it), in turns. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

/** Mailbox owners, from the corpus README (and the generated mailbox's). */
const OWNERS: Record<string, string[]> = {
  'enron-allen-p.mbox': [
    'phillip.allen@enron.com',
    'k..allen@enron.com',
    'pallen@enron.com',
    'pallen70@hotmail.com',
  ],
  'enron-arnold-j.mbox': ['john.arnold@enron.com', 'jarnold@enron.com'],
  'enron-arora-h.mbox': ['harry.arora@enron.com', 'harora@enron.com', 'harrysarora@yahoo.com'],
  'enron-badeer-r.mbox': ['robert.badeer@enron.com'],
  'spamassassin-easy-ham-1.mbox': ['yyyy@spamassassin.taint.org'],
  'spamassassin-easy-ham-2.mbox': ['yyyy@spamassassin.taint.org'],
  // The generated mailbox below.
  'generated.mbox': ['owner@bench.test'],
};

const round = (n: number) => Math.round(n);

function peakRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6);
  };
}

async function benchUser(handle: DbHandle) {
  const id = crypto.randomUUID();
  await handle.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Bench', $2)`, [
    id,
    `${id}@bench.test`,
  ]);
  return id;
}

async function importFiles(files: string[]) {
  const db = await createBenchDatabase();
  const userId = await benchUser(db.handle);
  const rss = peakRss();
  const t0 = performance.now();
  // One pipeline over all the files (as `rapport import a.mbox b.mbox …` runs), each file into
  // the mail account of its owners.
  const summaries = await importMboxes({
    db: db.handle.db,
    userId,
    sources: files.map((file) => ({ file, owners: OWNERS[path.basename(file)] ?? [] })),
  });
  const messages = summaries.reduce((n, s) => n + s.read, 0);
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss();
  const [stored] = await db.handle.query<{ n: number }>('SELECT count(*)::int AS n FROM emails');
  await db.drop();
  return {
    messages,
    stored: stored!.n,
    messages_per_s: round(messages / seconds),
    peak_rss_mb: peak,
  };
}

/**
 * The import's parser alone, as a big import runs it (worker threads, each message prepared
 * for storing with its file's owners), reading included. Returns the parses too, for storeOnly.
 */
async function parseOnly(files: string[]) {
  let n = 0;
  const pool = new ParsePool();
  const outcomes: Promise<ParsedMessage>[] = [];
  const t0 = performance.now();
  for (const file of files) {
    const prepareFor = { owners: OWNERS[path.basename(file)] ?? [] };
    for await (const e of readMbox(openMbox(file).stream)) {
      n++;
      if (e.kind !== 'message') continue;
      const parsed = pool.parse({
        raw: e.raw,
        source: 'mbox',
        envelopeDate: e.envelopeDate,
        prepareFor,
      });
      parsed.catch(() => {});
      outcomes.push(parsed);
    }
  }
  await Promise.allSettled(outcomes);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { rate: round(n / seconds), outcomes };
}

/**
 * The import with every message parsed beforehand (parseOnly's parses, replayed in the order
 * the import asks for them): its rate is the ceiling of the storing side, which faster
 * parsing cannot lift.
 */
async function storeOnly(files: string[], outcomes: Promise<ParsedMessage>[]) {
  const db = await createBenchDatabase();
  const userId = await benchUser(db.handle);
  const t0 = performance.now();
  const summaries = await importMboxes({
    db: db.handle.db,
    userId,
    sources: files.map((file) => ({ file, owners: OWNERS[path.basename(file)] ?? [] })),
    parse: () => outcomes.shift()!,
  });
  const seconds = (performance.now() - t0) / 1000;
  await db.drop();
  return round(summaries.reduce((n, s) => n + s.read, 0) / seconds);
}

/**
 * mu reads Maildir: the corpus is converted once (untimed); each run then times
 * `mu init && mu index` into a fresh mu home.
 */
async function muPeer(files: string[]) {
  if (spawnSync('mu', ['--version']).status !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-mu-'));
  const maildir = path.join(dir, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp'])
    fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  let i = 0;
  for (const file of files) {
    for await (const e of readMbox(openMbox(file).stream)) {
      if (e.kind === 'message')
        fs.writeFileSync(path.join(maildir, 'cur', `${i++}.bench:2,S`), e.raw);
    }
  }
  let run = 0;
  return {
    index(messages: number) {
      const home = path.join(dir, `mu-${run++}`);
      const t0 = performance.now();
      execFileSync('mu', ['init', '--maildir', maildir, '--muhome', home], { stdio: 'ignore' });
      execFileSync('mu', ['index', '--muhome', home], { stdio: 'ignore' });
      const seconds = (performance.now() - t0) / 1000;
      fs.rmSync(home, { recursive: true, force: true });
      return messages / seconds;
    },
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const files = fs
  .readdirSync(CORPUS)
  .filter((f) => f.endsWith('.mbox'))
  .sort()
  .map((f) => path.join(CORPUS, f));

// This machine's speed drifts by a third from minute to minute (shared hosts): the import and
// mu run in turns, RUNS times each, and the figures are medians; the ratio is the median of
// each back-to-back pair's.
type ImportFigures = Awaited<ReturnType<typeof importFiles>>;
/**
 * One import in a process of its own: cold, as `rapport import` runs, and its peak memory its
 * own (not what the bench's other measurements left behind).
 */
function importInChild(sources: string[]): ImportFigures {
  const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename], {
    env: { ...process.env, BENCH_INGEST_CHILD: JSON.stringify(sources) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ImportFigures;
}
if (process.env.BENCH_INGEST_CHILD) {
  console.log(JSON.stringify(await importFiles(JSON.parse(process.env.BENCH_INGEST_CHILD))));
  process.exit(0);
}

const mu = await muPeer(files);
const runs: { real: ImportFigures; mu: number | null }[] = [];
for (let r = 0; r < RUNS; r++) {
  const real = importInChild(files);
  runs.push({ real, mu: mu ? mu.index(real.messages) : null });
}
mu?.close();
const real = runs[0]!.real;
const parsed = await parseOnly(files);
const storeOnlyRate = await storeOnly(files, parsed.outcomes);
const muRates = runs.flatMap((r) => (r.mu === null ? [] : [r.mu]));

const genDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-gen-'));
const genFile = path.join(genDir, 'generated.mbox');
await writeGeneratedMbox(genFile, {
  seed: 1,
  messages: GENERATED,
  owner: { email: 'owner@bench.test', name: 'Bench Owner' },
});
const generated = importInChild([genFile]);
fs.rmSync(genDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    database: 'postgres',
    messages: real.messages,
    stored: real.stored,
    messages_per_s: round(median(runs.map((r) => r.real.messages_per_s))),
    parse_only_per_s: parsed.rate,
    store_only_per_s: storeOnlyRate,
    peak_rss_mb: Math.max(...runs.map((r) => r.real.peak_rss_mb)),
    ...(mu
      ? {
          mu_messages_per_s: round(median(muRates)),
          ratio_to_mu:
            Math.round(100 * median(runs.map((r) => r.real.messages_per_s / r.mu!))) / 100,
        }
      : { mu_messages_per_s: null, mu_note: 'mu not installed (apt-get install maildir-utils)' }),
    runs: {
      messages_per_s: runs.map((r) => r.real.messages_per_s),
      mu_messages_per_s: muRates.map(round),
    },
    generated_100k: {
      messages: generated.messages,
      messages_per_s: generated.messages_per_s,
      peak_rss_mb: generated.peak_rss_mb,
    },
  }),
);
process.exit(0);
