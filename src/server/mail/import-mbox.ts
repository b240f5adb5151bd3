import path from 'node:path';
import { recomputeStats } from '@/server/analytics/recompute-stats';
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
  /** The owner's addresses; the first is the account address. Default: the user's email. */
  owners?: string[];
  batchSize?: number;
  /** Larger messages are rejected with a reason (default 50 MB). */
  maxMessageBytes?: number;
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

/**
 * Imports an mbox (or .mbox.gz) file as a stream: parse, store in batches, record each
 * message it cannot take with its reason. Re-importing adds nothing; an overlapping file adds
 * only what is new.
 */
export async function importMbox(options: ImportMboxOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { db, userId } = options;
  const account = await ensureMailAccount(db, {
    userId,
    provider: 'mbox',
    owners: options.owners ?? [],
  });
  const mailbox: Mailbox = {
    userId,
    accountId: account.id,
    source: 'mbox',
    owners: ownerSet(account),
  };
  const batchSize = options.batchSize ?? 500;
  const name = path.basename(options.file);
  const { stream, file, size } = openMbox(options.file);
  const parser =
    options.parse || options.parallel === false
      ? null
      : messageParser({
          parallel: options.parallel ?? size > PARALLEL_MIN_BYTES,
          timeoutMs: options.parseTimeoutMs,
        });
  const parse = options.parse ?? parser?.parse ?? parseMessage;
  /** From addresses of messages filed in sent folders, counted. */
  const sentFrom = new Map<string, number>();
  const progress: ImportProgress = {
    read: 0,
    stored: 0,
    duplicates: 0,
    failed: 0,
    contactsCreated: 0,
    bytesRead: 0,
    totalBytes: size,
  };
  const touched = new Set<string>();

  let batch: Promise<Parsed | Failure>[] = [];
  let storing: Promise<void> = Promise.resolve();

  // Stats of the people a batch touched are recomputed set-wise: right after a small import,
  // and during a big one every few thousand people or seconds (not after every batch: a busy
  // correspondent's stats would be recomputed hundreds of times).
  const statsDue = new Set<string>();
  let statsAt = performance.now();
  const refreshStats = async (force: boolean) => {
    if (statsDue.size === 0) return;
    if (!force && statsDue.size < 5000 && performance.now() - statsAt < 10_000) return;
    await recomputeStats(db, { userId, contactIds: [...statsDue] });
    statsDue.clear();
    statsAt = performance.now();
  };

  /**
   * Stores messages in one transaction; when that fails, each half on its own, so that one
   * message the database refuses costs only itself: it is a failure with the database's reason.
   */
  const store = async (
    parsed: Parsed[],
    failed: number,
    done: boolean,
  ): Promise<StoreResult & { failures: Failure[] }> => {
    try {
      const result = await storeMessages(
        db,
        mailbox,
        parsed.map((p) => p.message),
        { eventSource: 'import', failed, progress: { read: file.bytesRead, total: size, done } },
      );
      return { ...result, failures: [] };
    } catch (err) {
      if (parsed.length === 0) throw err;
      if (parsed.length === 1) {
        const cause = ((err as Error).cause ?? err) as Error;
        const reason = `store failed: ${cause.message}`.slice(0, 500);
        return { ...EMPTY_RESULT, failures: [{ ref: parsed[0]!.ref, reason, excerpt: null }] };
      }
      const half = parsed.length >> 1;
      const a = await store(parsed.slice(0, half), failed, false);
      const b = await store(parsed.slice(half), 0, done);
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

  const flush = async (done: boolean) => {
    const settled = await Promise.all(batch);
    batch = [];
    await storing; // batches are stored in order, one at a time
    const parsed = settled.filter((m): m is Parsed => 'message' in m);
    const failures = settled.filter((m): m is Failure => 'reason' in m);
    for (const { message: m } of parsed) {
      if (m.from && isSentFolderMessage(m.labels)) {
        sentFrom.set(m.from.email, (sentFrom.get(m.from.email) ?? 0) + 1);
      }
    }
    storing = (async () => {
      const result = await store(parsed, failures.length, done);
      failures.push(...result.failures);
      if (failures.length) await recordFailures(db, userId, account.id, failures);
      for (const id of result.touchedContactIds) statsDue.add(id);
      await refreshStats(done);
      progress.stored += result.stored;
      progress.duplicates += result.duplicates;
      progress.failed += failures.length;
      progress.contactsCreated += result.contactsCreated;
      progress.bytesRead = file.bytesRead;
      for (const id of result.touchedContactIds) touched.add(id);
      await options.onBatch?.(result);
      options.onProgress?.({ ...progress });
    })();
    // Awaited by the next flush; until then a failure must not count as unhandled.
    storing.catch(() => {});
    if (done) await storing;
  };

  try {
    const entries = readMbox(stream, { maxMessageBytes: options.maxMessageBytes });
    let next = 0; // the index of the next message
    for (;;) {
      let entry: MboxEntry;
      try {
        const r = await entries.next();
        if (r.done) break;
        entry = r.value;
      } catch (err) {
        // The file itself cannot be read on (a truncated or corrupt .gz, an I/O error): what was
        // read is kept, and the rest is one failure.
        progress.read++;
        batch.push(
          Promise.resolve({
            ref: `${name}#${next}`,
            reason: `unreadable after ${file.bytesRead} bytes of the file: ${(err as Error).message}`,
            excerpt: null,
          }),
        );
        break;
      }
      next = entry.index + 1;
      progress.read++;
      const ref = `${name}#${entry.index}`;
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
          parse({ raw, source: 'mbox', envelopeDate: entry.envelopeDate }).then(
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
      if (batch.length >= batchSize) await flush(false);
    }
    await flush(true);
  } finally {
    await parser?.close();
  }
  const learned = learnedAliases(sentFrom, mailbox.owners);
  if (learned.length)
    await adoptOwnerAliases(db, { userId, accountId: account.id, aliases: learned });
  return {
    ...progress,
    accountId: account.id,
    aliasesLearned: learned,
    touchedContactIds: touched.size,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function recordFailures(db: Db, userId: string, accountId: string, failures: Failure[]) {
  await db.execute(sql`
    INSERT INTO import_errors (user_id, account_id, source_ref, reason, excerpt)
    SELECT ${userId}, ${accountId}::uuid, ref, reason, excerpt
      FROM json_to_recordset(${jsonRows(failures)}::json) AS v(ref text, reason text, excerpt text)`);
}
