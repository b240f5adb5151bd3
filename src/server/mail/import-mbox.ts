import path from 'node:path';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { sql } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { jsonRows } from './json-param';
import { ensureMailAccount, ownerSet } from './mail-accounts';
import { openMbox, readMbox } from './mbox-reader';
import { adoptOwnerAliases, isSentFolderMessage, learnedAliases } from './owner-aliases';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';
import type { ParsedMessage } from './parsed-message';
import { ParsePool } from './parse-pool';
import { storeMessages, type Mailbox } from './store-messages';

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
  /** A parser to use; by default big files are parsed on worker threads, small ones here. */
  parse?: Parser;
  /** Force (true) or forbid (false) worker-thread parsing. */
  parallel?: boolean;
  eventSource?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Called with each stored batch's touched contacts (stats, enrichment). */
  onBatch?: (r: { emailIds: string[]; touchedContactIds: string[] }) => Promise<void> | void;
};

/** Below this, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

type Failure = { ref: string; reason: string; excerpt: string | null };

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
  const pool =
    !options.parse && (options.parallel ?? size > PARALLEL_MIN_BYTES) ? new ParsePool() : null;
  const parse = options.parse ?? pool?.parse ?? parseMessage;
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

  let batch: Promise<ParsedMessage | Failure>[] = [];
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

  const flush = async (done: boolean) => {
    const settled = await Promise.all(batch);
    batch = [];
    await storing; // batches are stored in order, one at a time
    const messages = settled.filter((m): m is ParsedMessage => 'contentKey' in m);
    const failures = settled.filter((m): m is Failure => 'reason' in m);
    for (const m of messages) {
      if (m.from && isSentFolderMessage(m.labels)) {
        sentFrom.set(m.from.email, (sentFrom.get(m.from.email) ?? 0) + 1);
      }
    }
    storing = (async () => {
      if (failures.length) await recordFailures(db, userId, account.id, failures);
      const result = await storeMessages(db, mailbox, messages, {
        eventSource: 'import',
        failed: failures.length,
        progress: { read: file.bytesRead, total: size, done },
      });
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
    for await (const entry of readMbox(stream, { maxMessageBytes: options.maxMessageBytes })) {
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
        batch.push(
          parse({ raw: entry.raw, source: 'mbox', envelopeDate: entry.envelopeDate }).catch(
            (err: unknown): Failure => ({
              ref,
              reason:
                err instanceof MessageParseError
                  ? err.message
                  : `parse failed: ${(err as Error).message}`,
              excerpt: entry.raw.subarray(0, 300).toString('utf8'),
            }),
          ),
        );
      }
      if (batch.length >= batchSize) await flush(false);
    }
    await flush(true);
  } finally {
    await pool?.close();
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
