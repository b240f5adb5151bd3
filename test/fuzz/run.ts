// npm run fuzz [-- --cases N --seed S]: the full bad-input run. 10,000 malformed messages and
// mbox streams by default (a handful of them 50 MB) through the real importer (read → parse →
// store → extract) into a fresh database: PGlite in a temporary directory, or PostgreSQL when
// DATABASE_URL is set (a database of its own, dropped at the end). Prints one JSON line, and
// exits non-zero when an input is unaccounted for, the import crashed, or an invariant broke.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, type DbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@/server/mail/mbox-reader';
import { createBenchDatabase } from '../../bench/bench-database';
import { runFuzz } from './harness';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string' } },
});
const cases = Number(values.cases);
const seed = values.seed === undefined ? crypto.randomInt(2 ** 31) : Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed))
  throw new Error('usage: npm run fuzz -- [--cases N] [--seed S]');

async function database(): Promise<{ driver: string; handle: DbHandle; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await createBenchDatabase();
    return { driver: 'postgres', handle: db.handle, drop: () => db.drop() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-fuzz-db-'));
  const handle = await openDb({ driver: 'pglite', dataDir: dir });
  await migrate(handle);
  return {
    driver: 'pglite',
    handle,
    async drop() {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const db = await database();
let report;
try {
  report = await runFuzz({
    handle: db.handle,
    seed,
    cases,
    maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    // Over postal-mime's 512 KB header limit now and then.
    maxRunBytes: 600 * 1024,
    hugeCases: Math.min(6, cases),
    // What the importer does with a file this size: every message on worker threads.
    parallel: true,
  });
} finally {
  await db.drop();
}

const { problems, ...figures } = report;
console.log(
  JSON.stringify({
    seed: figures.seed,
    inputs: figures.inputs,
    stored: figures.stored,
    duplicates: figures.duplicates,
    rejected: figures.rejected,
    unaccounted: figures.unaccounted,
    max_message_ms: figures.max_message_ms,
    crashes: figures.crashes,
    elapsed_s: figures.elapsed_s,
    database: db.driver,
    max_batch_ms: figures.max_batch_ms,
    slowest: figures.slowest,
    reasons: figures.reasons,
    problems: problems.slice(0, 20).map((p) => p.slice(0, 500)),
  }),
);
process.exit(figures.unaccounted > 0 || figures.crashes > 0 || problems.length > 0 ? 1 : 0);
