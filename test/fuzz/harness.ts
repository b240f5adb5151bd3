// The ingestion fuzzer's run: malformed cases written as mbox files, imported by the real
// importer (read → parse → store → extract) into a real database, then every input accounted
// for. Used by test/integration/fuzz.test.ts (1,000 seeded cases) and `npm run fuzz`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contactCandidates } from '@/server/contacts/contact-candidates';
import type { DbHandle } from '@/server/db/client';
import { importMbox, type ImportSummary } from '@/server/mail/import-mbox';
import type { RawMessage } from '@/server/mail/parse-message';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { messageParser } from '@/server/mail/parse-pool';
import { createTestUser } from '../support/test-auth';
import { FUZZ_OWNER, malformedCases, malformedFiles, type FuzzOptions } from './malformed-mail';

export type FuzzRunOptions = FuzzOptions & {
  handle: DbHandle;
  /** Every message on worker threads (as the importer does for big files), or only long ones. */
  parallel: boolean;
  parseTimeoutMs?: number;
};

export type FuzzReport = {
  seed: number;
  inputs: number;
  stored: number;
  duplicates: number;
  rejected: number;
  unaccounted: number;
  /** The slowest message: parse (on a worker or here) and contact extraction. */
  max_message_ms: number;
  /** The longest wait between two stored batches (parse and store of up to 500 messages). */
  max_batch_ms: number;
  crashes: number;
  elapsed_s: number;
  slowest: string;
  /** Rejection reasons, numbers replaced by N, with their counts. */
  reasons: Record<string, number>;
  /** Broken invariants, one line each: empty when the pipeline coped with everything. */
  problems: string[];
};

type CaseInfo = {
  index: number;
  first: number;
  mainEntry: number;
  sender: string | null;
  valid: boolean;
  mutations: string;
};

const round = (n: number) => Math.round(n);

/**
 * The importer's own parser, one message at a time, each followed by the contact extraction
 * the store step runs on it. Timed in the pipeline, a parse also waits for whatever else the
 * thread does (PGlite stores a batch on this thread): the slowest few are timed again alone
 * once the import is over, and that is the per-message figure.
 */
function timedParser(parallel: boolean, timeoutMs: number | undefined, cases: CaseInfo[]) {
  const owners = new Set([FUZZ_OWNER.email]);
  const parser = messageParser({ parallel, timeoutMs });
  const KEEP = 5;
  let slowest: { ms: number; input: RawMessage }[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const timed = async (p: typeof parser, input: RawMessage) => {
    const started = performance.now();
    try {
      contactCandidates([await p.parse(input)], owners);
    } catch {
      // a rejection is an outcome like any other
    }
    return performance.now() - started;
  };

  const parse = (input: RawMessage): Promise<ParsedMessage> => {
    const run = queue.then(async () => {
      const started = performance.now();
      try {
        return await parser.parse(input);
      } finally {
        const ms = performance.now() - started;
        if (slowest.length < KEEP || ms > slowest.at(-1)!.ms) {
          slowest = [...slowest, { ms, input }].sort((a, b) => b.ms - a.ms).slice(0, KEEP);
        }
      }
    });
    queue = run.catch(() => {});
    return run;
  };

  const describe = (input: RawMessage) => {
    const head = Buffer.from(input.raw.subarray(0, 64 * 1024)).toString('latin1');
    const n = /<fuzz-\d+-(\d+)/.exec(head)?.[1];
    const c = n === undefined ? undefined : cases[Number(n)];
    return `${c ? `case ${c.index} (${c.mutations}), ` : ''}${input.raw.byteLength} bytes`;
  };

  /** The slowest messages timed again, alone: [ms, which]. */
  const slowestAlone = async (): Promise<[number, string]> => {
    await parser.close();
    const alone = messageParser({ parallel, timeoutMs });
    let worst: [number, string] = [0, ''];
    try {
      for (const { input } of slowest) {
        const ms = await timed(alone, input);
        if (ms > worst[0]) worst = [ms, describe(input)];
      }
    } finally {
      await alone.close();
    }
    slowest = [];
    return worst;
  };

  return { parse, slowestAlone, close: () => parser.close() };
}

/** "message too large (262345 bytes)" → "message too large (N bytes)". */
const reasonGroup = (reason: string) => reason.replace(/\d+(\.\d+)?/g, 'N').slice(0, 120);

export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const started = performance.now();
  const { handle } = options;
  const q = <T>(text: string, params: unknown[] = []) => handle.query<T>(text, params);
  const user = await createTestUser(handle);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-fuzz-'));
  const problems: string[] = [];
  const reasons: Record<string, number> = {};
  const totals = { inputs: 0, stored: 0, duplicates: 0, rejected: 0, unaccounted: 0, crashes: 0 };
  const cases: CaseInfo[] = [];
  let maxBatchMs = 0;
  const parser = timedParser(options.parallel, options.parseTimeoutMs, cases);

  /** Imports one file and accounts for each of its `expected` messages (null: unknown). */
  const importFile = async (name: string, expected: number | null) => {
    const file = path.join(dir, name);
    let summary: ImportSummary;
    let batchStarted = performance.now();
    try {
      summary = await importMbox({
        db: handle.db,
        userId: user.id,
        file,
        owners: [FUZZ_OWNER.email],
        maxMessageBytes: options.maxMessageBytes,
        parse: parser.parse,
        onProgress: () => {
          maxBatchMs = Math.max(maxBatchMs, performance.now() - batchStarted);
          batchStarted = performance.now();
        },
      });
    } catch (err) {
      totals.crashes++;
      totals.inputs += expected ?? 0;
      totals.unaccounted += expected ?? 0;
      problems.push(`${name}: the import threw: ${(err as Error).stack ?? String(err)}`);
      return null;
    }
    const errors = await q<{ source_ref: string; reason: string }>(
      `SELECT source_ref, reason FROM import_errors WHERE user_id = $1 AND source_ref LIKE $2`,
      [user.id, `${name}#%`],
    );
    const inputs = expected ?? summary.read;
    totals.inputs += inputs;
    totals.stored += summary.stored;
    totals.duplicates += summary.duplicates;
    totals.rejected += errors.length;
    totals.unaccounted += Math.abs(inputs - summary.stored - summary.duplicates - errors.length);
    if (summary.read !== inputs) problems.push(`${name}: read ${summary.read} of ${inputs}`);
    if (summary.stored + summary.duplicates + summary.failed !== summary.read)
      problems.push(`${name}: ${JSON.stringify(summary)} does not add up`);
    if (errors.length !== summary.failed)
      problems.push(`${name}: ${errors.length} import_errors rows for ${summary.failed} failed`);
    const refs = new Set<number>();
    for (const e of errors) {
      const at = Number(e.source_ref.slice(name.length + 1));
      if (!e.reason.trim()) problems.push(`${e.source_ref}: rejected without a reason`);
      if (refs.has(at) || !(at >= 0 && at < summary.read))
        problems.push(`${e.source_ref}: a second or out-of-range rejection`);
      // Parsed mail the database refused is a bug upstream of it (a value too long for an index…).
      if (e.reason.startsWith('store failed')) problems.push(`${e.source_ref}: ${e.reason}`);
      refs.add(at);
      reasons[reasonGroup(e.reason)] = (reasons[reasonGroup(e.reason)] ?? 0) + 1;
    }
    return { summary, rejected: refs, errors };
  };

  try {
    // The seeded cases, in one mbox.
    const main = `fuzz-${options.seed}.mbox`;
    const fd = fs.openSync(path.join(dir, main), 'w');
    let entries = 0;
    for (const c of malformedCases(options)) {
      fs.writeSync(fd, c.bytes);
      cases.push({
        index: c.index,
        first: entries,
        mainEntry: c.mainEntry,
        sender: c.sender,
        valid: c.valid,
        mutations: c.mutations.join(' '),
      });
      entries += c.entries;
    }
    fs.closeSync(fd);
    const result = await importFile(main, entries);

    if (result) {
      const contacts = new Set(
        (
          await q<{ email: string }>(
            `SELECT lower(email) AS email FROM contact_emails WHERE user_id = $1`,
            [user.id],
          )
        ).map((r) => r.email),
      );
      const reasonAt = new Map(
        result.errors.map((e) => [Number(e.source_ref.slice(main.length + 1)), e.reason]),
      );
      for (const c of cases) {
        const at = c.first + c.mainEntry;
        if (c.valid && reasonAt.has(at))
          problems.push(`case ${c.index} (valid: ${c.mutations}) rejected: ${reasonAt.get(at)}`);
        if (
          c.sender &&
          c.sender !== FUZZ_OWNER.email &&
          !reasonAt.has(at) &&
          !contacts.has(c.sender)
        )
          problems.push(`case ${c.index} (${c.mutations}): no contact for its sender ${c.sender}`);
      }
      // Extraction ran on everything stored: every sender but the owner is a contact.
      const senders = await q<{ from_email: string }>(
        `SELECT DISTINCT lower(from_email) AS from_email FROM emails
          WHERE user_id = $1 AND from_email IS NOT NULL AND lower(from_email) <> $2`,
        [user.id, FUZZ_OWNER.email],
      );
      for (const s of senders)
        if (!contacts.has(s.from_email))
          problems.push(`stored sender ${s.from_email} is no contact`);
    }

    // Files broken as files.
    for (const f of malformedFiles(options.seed)) {
      fs.writeFileSync(path.join(dir, f.name), f.bytes);
      const r = await importFile(f.name, f.entries);
      if (r && f.entries === null && ![...r.errors].some((e) => /unreadable/.test(e.reason)))
        problems.push(`${f.name}: no "unreadable" rejection`);
    }

    const [emails] = await q<{ n: number; biggest: number | null }>(
      `SELECT count(*)::int AS n, max(size_bytes)::bigint AS biggest FROM emails WHERE user_id = $1`,
      [user.id],
    );
    if (emails!.n !== totals.stored)
      problems.push(`${emails!.n} emails stored, the importer counted ${totals.stored}`);
    if (Number(emails!.biggest ?? 0) > options.maxMessageBytes)
      problems.push(`an email of ${emails!.biggest} bytes was stored over the size cap`);
  } finally {
    await parser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const [maxMs, slowest] = await parser.slowestAlone();

  return {
    seed: options.seed,
    ...totals,
    max_message_ms: round(maxMs),
    max_batch_ms: round(maxBatchMs),
    elapsed_s: round((performance.now() - started) / 100) / 10,
    slowest,
    reasons: Object.fromEntries(Object.entries(reasons).sort((a, b) => b[1] - a[1])),
    problems,
  };
}
