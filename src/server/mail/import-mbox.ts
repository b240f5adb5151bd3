import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { recomputeStats, scoringTime } from '@/server/analytics/recompute-stats';
import { nameDomainCompanies } from '@/server/contacts/domain-companies';
import { recogniseOwnerAliases } from '@/server/contacts/recognise-owner-aliases';
import { sql } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { jsonRows } from './json-param';
import { ensureMailAccount, ownerSet } from './mail-accounts';
import { openMbox, readMbox, type MboxEntry } from './mbox-reader';
import { adoptOwnerAliases, isSentFolderMessage, learnedAliases } from './owner-aliases';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';
import type { ParsedMessage } from './parsed-message';
import { messageParser } from './parse-pool';
import { storeMessages, type Mailbox, type StoreResult } from './store-messages';
import { quotaReason, userQuota, type UserQuota } from './user-quota';

export type ImportProgress = {
  read: number;
  stored: number;
  duplicates: number;
  failed: number;
  contactsCreated: number;
  bytesRead: number;
  totalBytes: number;
};

export type ImportSummary = ImportProgress & {
  accountId: string;
  aliasesLearned: string[];
  touchedContactIds: number;
  elapsedMs: number;
};

export type Parser = (input: RawMessage) => Promise<ParsedMessage>;

export type ImportMboxOptions = {
  db: Db;
  userId: string;
  file: string;
  /** The file's name in failure references ("inbox.mbox#12"); default: its own name. */
  name?: string;
  /** The owner's addresses; the first is the account address. Default: the user's email. */
  owners?: string[];
  batchSize?: number;
  /** Larger messages are rejected with a reason (default 50 MB). */
  maxMessageBytes?: number;
  /** A .gz that decompresses to more stops there, with what was read kept (uploads). */
  maxDecompressedBytes?: number;
  /** The user's quota (default the environment's): mail past it is refused and reading stops. */
  quota?: UserQuota | null;
  /**
   * A parser to use; by default big files are parsed on worker threads, and in small ones only
   * long messages are (see messageParser).
   */
  parse?: Parser;
  /** Force (true) or forbid (false, and with it the parse time limit) worker-thread parsing. */
  parallel?: boolean;
  /**
   * A message whose parsing takes longer is rejected (default 5 s, plus 1 s per MB of the
   * message; on worker threads, where long messages are parsed).
   */
  parseTimeoutMs?: number;
  eventSource?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Called with each stored batch's touched contacts (stats, enrichment). */
  onBatch?: (r: { emailIds: string[]; touchedContactIds: string[] }) => Promise<void> | void;
};

/** One file of a several-file import, with its own owner addresses (its own mail account). */
export type MboxSource = { file: string; owners?: string[]; name?: string };

export type ImportMboxesOptions = Omit<
  ImportMboxOptions,
  'file' | 'owners' | 'name' | 'onProgress'
> & {
  sources: MboxSource[];
  /** Progress over the whole run (bytes and counts of every file so far). */
  onProgress?: (p: ImportProgress) => void;
};

/** Below this, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

const EMPTY_RESULT: StoreResult = {
  stored: 0,
  duplicates: 0,
  contactsCreated: 0,
  emailIds: [],
  touchedContactIds: [],
};

type Failure = { ref: string; reason: string; excerpt: string | null };
type Parsed = { ref: string; message: ParsedMessage };
/** A batch handed to the storing chain: its messages' parses, and where the file stood. */
type QueuedBatch = {
  run: SourceRun;
  entries: Promise<Parsed | Failure>[];
  done: boolean;
  last: boolean;
  bytesRead: number;
};

/**
 * Batches handed over and waiting behind the one being stored (their messages parsed
 * meanwhile) while the next is read: the parse workers keep busy, and memory stays flat (a
 * second waiting batch measured no faster and 20 MB bigger).
 */
const MAX_BATCHES_AHEAD = 1;
/** The run's first batch: storing starts while the parse workers are still warming up. */
const FIRST_BATCH = 100;

/** One file being imported: its mailbox, what it has counted and what it has learned. */
type SourceRun = {
  name: string;
  file: fs.ReadStream;
  size: number;
  stream: Readable;
  account: { id: string };
  mailbox: Mailbox;
  /** From addresses of messages filed in sent folders, counted. */
  sentFrom: Map<string, number>;
  progress: ImportProgress;
  touched: Set<string>;
  aliasesLearned: string[];
  /** When its last batch was stored, from the start of the run. */
  elapsedMs: number;
};

/**
 * Imports an mbox (or .mbox.gz) file as a stream: parse, store in batches, record each
 * message it cannot take with its reason. Re-importing adds nothing; an overlapping file adds
 * only what is new.
 */
export async function importMbox(options: ImportMboxOptions): Promise<ImportSummary> {
  const { file, owners, name, ...rest } = options;
  const [summary] = await importMboxes({ ...rest, sources: [{ file, owners, name }] });
  return summary!;
}

/**
 * Imports several mbox files in one pipeline, each into the mail account of its owners (a
 * folder-per-file export, several people's archives): while one file's last batch is stored,
 * the next file is already being read and parsed, and the stats of the people they touch are
 * recomputed together. Returns one summary per file, in order.
 */
export async function importMboxes(options: ImportMboxesOptions): Promise<ImportSummary[]> {
  const started = performance.now();
  const { db, userId } = options;
  const quota = options.quota === undefined ? userQuota() : options.quota;
  /** Set once a batch met the full quota: the files are read no further. */
  let quotaFull = false;
  const batchSize = options.batchSize ?? 500;
  const sizes = options.sources.map((s) => fs.statSync(s.file).size);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const parser =
    options.parse || options.parallel === false
      ? null
      : messageParser({
          parallel: options.parallel ?? totalBytes > PARALLEL_MIN_BYTES,
          timeoutMs: options.parseTimeoutMs,
        });
  const parse = options.parse ?? parser?.parse ?? parseMessage;
  /** Mailboxes by account: files of the same owners share one, and the aliases it learns. */
  const mailboxes = new Map<string, Mailbox>();
  const runs: SourceRun[] = [];
  const runProgress = (): ImportProgress => {
    const sum = (k: 'read' | 'stored' | 'duplicates' | 'failed' | 'contactsCreated') =>
      runs.reduce((n, r) => n + r.progress[k], 0);
    return {
      read: sum('read'),
      stored: sum('stored'),
      duplicates: sum('duplicates'),
      failed: sum('failed'),
      contactsCreated: sum('contactsCreated'),
      bytesRead: runs.reduce((n, r) => n + r.progress.bytesRead, 0),
      totalBytes,
    };
  };

  let batch: Promise<Parsed | Failure>[] = [];
  /** Batches are stored in order, one at a time: each waits for the one before. */
  let storing: Promise<void> = Promise.resolve();
  /** Batches handed to the storing chain so far. */
  let flushed = 0;
  /** The stores of the batches handed over and not yet waited for, oldest first. */
  const ahead: Promise<void>[] = [];

  // Stats of the people a batch touched are recomputed set-wise: right after a small import,
  // and during a big one every few thousand people or seconds (not after every batch: a busy
  // correspondent's stats would be recomputed hundreds of times).
  const statsDue = new Set<string>();
  let statsAt = performance.now();
  // Scores are reckoned at the user's latest mail (scoringTime). When the import moves it, the
  // people scored before — in an earlier import, or earlier in this one — are scored again
  // at the end, with everyone else.
  const scoredAt = (await scoringTime(db, userId))?.getTime() ?? null;
  let scoredEarly = scoredAt !== null;
  const refreshStats = async (force: boolean) => {
    if (statsDue.size === 0) return;
    if (!force && statsDue.size < 5000 && performance.now() - statsAt < 10_000) return;
    const at = (await scoringTime(db, userId)) ?? undefined;
    const everyone = force && scoredEarly && at?.getTime() !== scoredAt;
    await recomputeStats(db, {
      userId,
      contactIds: everyone ? undefined : [...statsDue],
      now: at,
    });
    statsDue.clear();
    statsAt = performance.now();
    scoredEarly = true;
  };

  /**
   * Stores messages in one transaction; when that fails, each half on its own, so that one
   * message the database refuses costs only itself: it is a failure with the database's reason.
   */
  const store = async (
    run: SourceRun,
    parsed: Parsed[],
    failed: number,
    done: boolean,
    read: number,
  ): Promise<StoreResult & { failures: Failure[] }> => {
    try {
      const result = await storeMessages(
        db,
        run.mailbox,
        parsed.map((p) => p.message),
        { eventSource: 'import', failed, progress: { read, total: run.size, done }, quota },
      );
      const refused = new Set(result.overQuota ?? []);
      if (!refused.size || !quota) return { ...result, failures: [] };
      quotaFull = true;
      const reason = quotaReason(quota);
      return {
        ...result,
        failures: parsed
          .filter((p) => refused.has(p.message.providerMessageId))
          .map((p) => ({ ref: p.ref, reason, excerpt: null })),
      };
    } catch (err) {
      if (parsed.length === 0) throw err;
      if (parsed.length === 1) {
        const cause = ((err as Error).cause ?? err) as Error;
        const reason = `store failed: ${cause.message}`.slice(0, 500);
        return { ...EMPTY_RESULT, failures: [{ ref: parsed[0]!.ref, reason, excerpt: null }] };
      }
      const half = parsed.length >> 1;
      const a = await store(run, parsed.slice(0, half), failed, false, read);
      const b = await store(run, parsed.slice(half), 0, done, read);
      return {
        stored: a.stored + b.stored,
        duplicates: a.duplicates + b.duplicates,
        contactsCreated: a.contactsCreated + b.contactsCreated,
        emailIds: [...a.emailIds, ...b.emailIds],
        touchedContactIds: [...new Set([...a.touchedContactIds, ...b.touchedContactIds])],
        failures: [...a.failures, ...b.failures],
      };
    }
  };

  /**
   * Stores one batch once its messages are parsed, after the batch before it. `done`: the
   * run's file ends here (its aliases are adopted once its last batch is in).
   */
  const storeBatch = async (queued: QueuedBatch) => {
    const { run, done, bytesRead } = queued;
    const settled = await Promise.all(queued.entries);
    const parsed = settled.filter((m): m is Parsed => 'message' in m);
    const failures = settled.filter((m): m is Failure => 'reason' in m);
    for (const { message: m } of parsed) {
      if (m.from && isSentFolderMessage(m.labels)) {
        run.sentFrom.set(m.from.email, (run.sentFrom.get(m.from.email) ?? 0) + 1);
      }
    }
    const result = await store(run, parsed, failures.length, done, bytesRead);
    failures.push(...result.failures);
    if (failures.length) await recordFailures(db, userId, run.account.id, failures);
    for (const id of result.touchedContactIds) statsDue.add(id);
    await refreshStats(queued.last);
    // Companies guessed from domains, named as the domains' people sign them: once, at the end.
    if (queued.last) await nameDomainCompanies(db, userId);
    run.progress.stored += result.stored;
    run.progress.duplicates += result.duplicates;
    run.progress.failed += failures.length;
    run.progress.contactsCreated += result.contactsCreated;
    // A file counts whole once its last batch is in, as the run's total counts it.
    run.progress.bytesRead = done ? run.size : bytesRead;
    for (const id of result.touchedContactIds) run.touched.add(id);
    if (done) {
      run.aliasesLearned = learnedAliases(run.sentFrom, run.mailbox.owners);
      const adopt = async (aliases: string[]) => {
        await adoptOwnerAliases(db, { userId, accountId: run.account.id, aliases });
        // Later files of the same account store with them as the owner's.
        for (const a of aliases) run.mailbox.owners.add(a);
      };
      if (run.aliasesLearned.length) await adopt(run.aliasesLearned);
      // The owner's other addresses their mail reveals (an alias forwarded to, a mailbox that
      // received for them): never contacts of their own.
      const recognised = await recogniseOwnerAliases(db, userId);
      if (recognised.length) await adopt(recognised);
      run.aliasesLearned.push(...recognised);
      // Mail of theirs now counts as the owner's, both ways: everyone is scored again.
      if (run.aliasesLearned.length) await recomputeStats(db, { userId });
      run.elapsedMs = Math.round(performance.now() - started);
    }
    await options.onBatch?.(result);
    options.onProgress?.(runProgress());
  };

  /**
   * Hands the batch read so far to the storing chain and goes on reading: the parse workers
   * get the next batches while this one waits for its parse and for the batches before it.
   * At most MAX_BATCHES_AHEAD wait (memory stays bounded); `last`: the whole run ends here,
   * and everything is waited for.
   */
  const flush = async (run: SourceRun, done: boolean, last: boolean) => {
    const queued: QueuedBatch = { run, entries: batch, done, last, bytesRead: run.file.bytesRead };
    batch = [];
    flushed++;
    storing = storing.then(() => storeBatch(queued));
    // Awaited below or by a later flush; until then a failure must not count as unhandled.
    storing.catch(() => {});
    ahead.push(storing);
    while (ahead.length > MAX_BATCHES_AHEAD) await ahead.shift();
    if (last) await storing;
  };

  try {
    for (const [i, source] of options.sources.entries()) {
      const account = await ensureMailAccount(db, {
        userId,
        provider: 'mbox',
        owners: source.owners ?? [],
      });
      let mailbox = mailboxes.get(account.id);
      if (!mailbox) {
        mailbox = { userId, accountId: account.id, source: 'mbox', owners: ownerSet(account) };
        mailboxes.set(account.id, mailbox);
      }
      const { stream, file, size } = openMbox(source.file, {
        maxDecompressedBytes: options.maxDecompressedBytes,
      });
      const run: SourceRun = {
        name: source.name ?? path.basename(source.file),
        file,
        size,
        stream,
        account,
        mailbox,
        sentFrom: new Map(),
        progress: {
          read: 0,
          stored: 0,
          duplicates: 0,
          failed: 0,
          contactsCreated: 0,
          bytesRead: 0,
          totalBytes: sizes[i]!,
        },
        touched: new Set(),
        aliasesLearned: [],
        elapsedMs: 0,
      };
      runs.push(run);
      await readSource(run, i === options.sources.length - 1);
    }
    // Nothing to read (no sources) still settles what was started.
    await storing;
  } finally {
    // When reading fails, what was handed over still settles before the import reports.
    await storing.catch(() => {});
    await parser?.close();
  }
  return runs.map((run) => ({
    ...run.progress,
    accountId: run.account.id,
    aliasesLearned: run.aliasesLearned,
    touchedContactIds: run.touched.size,
    elapsedMs: run.elapsedMs,
  }));

  /** Reads one file into batches; its last batch goes to the chain without waiting for it. */
  async function readSource(run: SourceRun, last: boolean) {
    const entries = readMbox(run.stream, { maxMessageBytes: options.maxMessageBytes });
    // A parse worker prepares each message for storing as it parses it. The owners may grow
    // before its batch is stored (aliases a file before this one taught, adopted when its last
    // batch is in): contact extraction leaves out the owners as they are when it stores.
    const prepareFor = { owners: [...run.mailbox.owners] };
    let next = 0; // the index of the next message
    for (;;) {
      if (quotaFull && quota) {
        // Nothing more would be stored: the rest of the file is one failure, not read.
        run.progress.read++;
        batch.push(
          Promise.resolve({
            ref: `${run.name}#${next}`,
            reason: `not read from here on: ${quotaReason(quota)}`,
            excerpt: null,
          }),
        );
        break;
      }
      let entry: MboxEntry;
      try {
        const r = await entries.next();
        if (r.done) break;
        entry = r.value;
      } catch (err) {
        // The file itself cannot be read on (a truncated or corrupt .gz, an I/O error): what was
        // read is kept, and the rest is one failure.
        run.progress.read++;
        batch.push(
          Promise.resolve({
            ref: `${run.name}#${next}`,
            reason: `unreadable after ${run.file.bytesRead} bytes of the file: ${(err as Error).message}`,
            excerpt: null,
          }),
        );
        break;
      }
      next = entry.index + 1;
      run.progress.read++;
      const ref = `${run.name}#${entry.index}`;
      if (entry.kind === 'oversize') {
        batch.push(
          Promise.resolve({
            ref,
            reason: `message too large (${entry.bytes} bytes)`,
            excerpt: null,
          }),
        );
      } else {
        const raw = entry.raw;
        batch.push(
          parse({ raw, source: 'mbox', envelopeDate: entry.envelopeDate, prepareFor }).then(
            (message): Parsed => ({ ref, message }),
            (err: unknown): Failure => ({
              ref,
              reason:
                err instanceof MessageParseError
                  ? err.message
                  : `parse failed: ${(err as Error).message}`,
              excerpt: raw.subarray(0, 300).toString('utf8'),
            }),
          ),
        );
      }
      // The run's first batch is small: storing starts while the parse workers warm up.
      if (batch.length >= (flushed ? batchSize : Math.min(batchSize, FIRST_BATCH)))
        await flush(run, false, false);
    }
    await flush(run, true, last);
  }
}

async function recordFailures(db: Db, userId: string, accountId: string, failures: Failure[]) {
  await db.execute(sql`
    INSERT INTO import_errors (user_id, account_id, source_ref, reason, excerpt)
    SELECT ${userId}, ${accountId}::uuid, ref, reason, excerpt
      FROM json_to_recordset(${jsonRows(failures)}::json) AS v(ref text, reason text, excerpt text)`);
}
