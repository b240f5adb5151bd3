import { sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf, type Db } from '@/server/db/client';
import type { SyncCursor, SyncStatus } from '@/server/db/schema';
import { emit } from '@/server/events/emit';
import { failureKind, GmailError } from './gmail/gmail-errors';
import { jsonRows } from './json-param';
import type { MailProvider, ProviderMessage } from './mail-provider';
import { findMailAccount, ownerSet } from './mail-accounts';
import type { Mailbox } from './mailbox';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';
import type { ParsedMessage } from './parsed-message';
import { storeMessages } from './store-messages';
import { quotaReason, userQuota } from './user-quota';

export type SyncProgress = {
  fetched: number;
  total: number;
  stored: number;
  ratePerSecond: number;
};

export type SyncOptions = {
  db: Db;
  userId: string;
  accountId: string;
  provider: MailProvider;
  /** Messages listed per page (Gmail allows up to 500). */
  pageSize?: number;
  /**
   * A full sync stops after the page that passes this time (epoch ms), its cursor saved, and
   * reports `complete: false`: a job stays short, and its continuation resumes from the cursor.
   */
  deadline?: number;
  onProgress?: (p: SyncProgress) => void;
  /**
   * The parser: parseMessage (on this thread) by default; the sync job passes messageParser's,
   * which parses big and long messages on a worker thread, where a hostile one is stopped at
   * its time limit and never stalls the server (this module stays free of worker threads:
   * the CLI's route bundles it).
   */
  parse?: (m: RawMessage) => Promise<ParsedMessage>;
};

export type SyncSummary = {
  mode: 'full' | 'incremental' | 'resync';
  listed: number;
  fetched: number;
  stored: number;
  duplicates: number;
  failed: number;
  deleted: number;
  relabelled: number;
  cursor: string;
  /** False when a full sync stopped at its deadline with more to read. */
  complete: boolean;
};

type Account = Awaited<ReturnType<typeof findMailAccount>>;

const emptySummary = (mode: SyncSummary['mode'], cursor: string): SyncSummary => ({
  mode,
  listed: 0,
  fetched: 0,
  stored: 0,
  duplicates: 0,
  failed: 0,
  deleted: 0,
  relabelled: 0,
  cursor,
  complete: true,
});

async function setStatus(db: Db, account: Account, status: SyncStatus, reason?: string) {
  await db.execute(sql`
    UPDATE mail_accounts SET sync_status = ${status}, updated_at = now(),
      sync_started_at = CASE WHEN ${status} = 'syncing' THEN now() ELSE sync_started_at END,
      last_error = ${reason ?? null},
      failure_count = CASE WHEN ${status} IN ('idle', 'syncing') THEN failure_count ELSE failure_count + 1 END
     WHERE id = ${account.id}`);
  await emit(
    db,
    {
      type: 'mail.account_status',
      payload: { accountId: account.id, status, ...(reason ? { reason } : {}) },
    },
    { userId: account.userId, source: 'sync' },
  );
}

/** The provider ids among `ids` this account already stored. */
async function storedIds(db: Db, account: Account, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      SELECT provider_message_id AS id FROM emails
       WHERE user_id = ${account.userId} AND source = ${account.provider}
         AND provider_message_id = ANY(${sql.param(ids)}::text[])`),
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Fetches, parses and stores the messages of `ids` not stored yet: one idempotent batch (a
 * crash and a rerun store each message once). Unparseable messages are recorded with why.
 */
/** The messages of `ids` not stored yet, fetched from the provider. */
async function fetchNew(o: SyncOptions, account: Account, ids: string[]) {
  const known = await storedIds(o.db, account, ids);
  const wanted = ids.filter((id) => !known.has(id));
  return wanted.length ? await o.provider.fetchMessages(wanted) : [];
}

async function fetchAndStore(
  o: SyncOptions,
  account: Account,
  mailbox: Mailbox,
  ids: string[],
  progress: { read: number; total: number; done: boolean; perMessageEvents?: boolean },
) {
  return storeFetched(o, account, mailbox, await fetchNew(o, account, ids), progress);
}

async function storeFetched(
  o: SyncOptions,
  account: Account,
  mailbox: Mailbox,
  fetched: ProviderMessage[],
  progress: {
    read: number;
    total: number;
    done: boolean;
    perMessageEvents?: boolean;
    rate?: number;
  },
) {
  const parsed: ParsedMessage[] = [];
  const failures: { ref: string; reason: string; excerpt: string | null }[] = [];
  for (const m of fetched) {
    try {
      parsed.push(await (o.parse ?? parseMessage)(m));
    } catch (err) {
      failures.push({
        ref: `${account.provider}:${m.providerMessageId}`,
        reason:
          err instanceof MessageParseError
            ? err.message
            : `parse failed: ${(err as Error).message}`,
        excerpt: Buffer.from(m.raw).subarray(0, 300).toString('utf8'),
      });
    }
  }
  if (failures.length) {
    await o.db.execute(sql`
      INSERT INTO import_errors (user_id, account_id, source_ref, reason, excerpt)
      SELECT ${account.userId}, ${account.id}::uuid, ref, reason, excerpt
        FROM json_to_recordset(${jsonRows(failures)}::json) AS v(ref text, reason text, excerpt text)`);
  }
  const result = await storeMessages(o.db, mailbox, parsed, {
    eventSource: 'sync',
    failed: failures.length,
    perMessageEvents: progress.perMessageEvents,
    progress: {
      read: progress.read,
      total: progress.total,
      done: progress.done,
      rate: progress.rate,
    },
    recomputeStats: true,
  });
  // The user's quota is full: this mailbox stops here (retried later: mail may be removed, or
  // the quota raised).
  const quota = userQuota();
  if (result.overQuota?.length && quota)
    throw new GmailError(`Not all mail synced: ${quotaReason(quota)}`, 'temporary');
  return { fetched: fetched.length, failed: failures.length, ...result };
}

async function saveCursor(db: Db, accountId: string, cursor: SyncCursor | null) {
  await db.execute(sql`
    UPDATE mail_accounts SET sync_cursor = ${cursor ? JSON.stringify(cursor) : null}::jsonb, updated_at = now()
     WHERE id = ${accountId}`);
}

/**
 * Full sync, newest first, in resumable pages: the cursor (page token, the historyId it
 * started from, counts) is saved after every stored page, so a crash resumes where it
 * stopped and stores nothing twice. Then incremental sync catches what changed meanwhile.
 */
async function fullSync(o: SyncOptions, account: Account, mailbox: Mailbox, resync: boolean) {
  const pageSize = o.pageSize ?? 100;
  let cursor = account.syncCursor;
  // Only a resync that saw every page itself may remove what Gmail no longer lists.
  const seen = cursor ? null : new Set<string>();
  if (!cursor) {
    const profile = await o.provider.getProfile();
    // Send-as aliases are the owner too: mail from them is outbound.
    const aliases = (await o.provider.listOwnerAddresses()).filter(
      (a) => a !== profile.address && !mailbox.owners.has(a),
    );
    if (aliases.length) {
      for (const a of aliases) mailbox.owners.add(a);
      await o.db.execute(sql`
        UPDATE mail_accounts SET aliases = ARRAY(SELECT DISTINCT unnest(aliases || ${sql.param(aliases)}::text[]))
         WHERE id = ${account.id}`);
    }
    // The mailbox's own address (the account may have been named after the user's sign-in email).
    if (profile.address && profile.address !== account.address.toLowerCase()) {
      mailbox.owners.add(profile.address);
      await o.db
        .execute(
          sql`UPDATE mail_accounts SET address = ${profile.address}, updated_at = now() WHERE id = ${account.id}`,
        )
        .catch(() =>
          // Another mail account already has this address: keep it as an alias instead.
          o.db.execute(
            sql`UPDATE mail_accounts SET aliases = array_append(aliases, ${profile.address}) WHERE id = ${account.id}`,
          ),
        );
    }
    cursor = {
      mode: 'full',
      pageToken: null,
      startHistoryId: profile.cursor,
      fetched: 0,
      total: profile.messagesTotal,
      startedAt: new Date().toISOString(),
      ...(resync ? { resync: true } : {}),
    };
    await saveCursor(o.db, account.id, cursor);
  }
  const summary = emptySummary(cursor.resync ? 'resync' : 'full', cursor.startHistoryId);
  const started = performance.now();
  // The next page is listed and fetched while this one is parsed and stored, so the quota
  // keeps being spent while the database works. The cursor moves only once a page is stored.
  const prepare = async (token: string | null) => {
    const page = await o.provider.listMessages(token, pageSize);
    return { page, fetched: await fetchNew(o, account, page.ids) };
  };
  let next = prepare(cursor.pageToken);
  for (;;) {
    const { page, fetched } = await next;
    const done = page.nextPageToken === null;
    if (!done) {
      next = prepare(page.nextPageToken);
      next.catch(() => {}); // awaited on the next turn; a failure must not go unhandled meanwhile
    }
    for (const id of page.ids) seen?.add(id);
    const seconds = Math.max(0.001, (performance.now() - started) / 1000);
    const r = await storeFetched(o, account, mailbox, fetched, {
      read: cursor.fetched + page.ids.length,
      total: Math.max(cursor.total, cursor.fetched + page.ids.length),
      done,
      rate: Math.round(((summary.listed + page.ids.length) / seconds) * 10) / 10,
    });
    summary.listed += page.ids.length;
    summary.fetched += r.fetched;
    summary.stored += r.stored;
    summary.duplicates += r.duplicates;
    summary.failed += r.failed;
    cursor = {
      ...cursor,
      pageToken: page.nextPageToken,
      fetched: cursor.fetched + page.ids.length,
    };
    await saveCursor(o.db, account.id, done ? null : cursor);
    o.onProgress?.({
      fetched: cursor.fetched,
      total: Math.max(cursor.total, cursor.fetched),
      stored: summary.stored,
      ratePerSecond:
        Math.round((summary.listed / Math.max(0.001, (performance.now() - started) / 1000)) * 10) /
        10,
    });
    if (done) break;
    if (o.deadline && Date.now() > o.deadline) {
      summary.complete = false;
      return summary;
    }
  }
  if (cursor.resync && seen) summary.deleted = await removeMissing(o.db, account, seen);
  await o.db.execute(sql`
    UPDATE mail_accounts SET history_id = ${cursor.startHistoryId}, sync_cursor = NULL, updated_at = now()
     WHERE id = ${account.id}`);
  // What changed while the pages were read.
  const after = await incrementalSync(o, { ...account, historyId: cursor.startHistoryId }, mailbox);
  summary.fetched += after.fetched;
  summary.stored += after.stored;
  summary.deleted += after.deleted;
  summary.relabelled += after.relabelled;
  summary.cursor = after.cursor;
  return summary;
}

/** Deletes stored messages of this account that Gmail no longer has (after an expired history). */
async function removeMissing(db: Db, account: Account, seen: Set<string>) {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      SELECT provider_message_id AS id FROM emails
       WHERE user_id = ${account.userId} AND account_id = ${account.id} AND source = ${account.provider}`),
  );
  return deleteMessages(
    db,
    account,
    rows.map((r) => r.id).filter((id) => !seen.has(id)),
  );
}

/** Deletes and recomputes the stats of the people in them in one transaction (see storeMessages). */
async function deleteMessages(db: Db, account: Account, providerIds: string[]) {
  if (providerIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    const touched = rowsOf<{ contact_id: string }>(
      await tx.execute(sql`
        SELECT DISTINCT i.contact_id FROM interactions i
          JOIN emails e ON e.id = i.email_id AND e.user_id = i.user_id
         WHERE e.user_id = ${account.userId} AND e.source = ${account.provider}
           AND e.provider_message_id = ANY(${sql.param(providerIds)}::text[])`),
    ).map((r) => r.contact_id);
    const deleted = rowsOf<{ id: string }>(
      await tx.execute(sql`
        DELETE FROM emails WHERE user_id = ${account.userId} AND source = ${account.provider}
           AND provider_message_id = ANY(${sql.param(providerIds)}::text[])
        RETURNING id`),
    );
    if (touched.length) await recomputeStats(tx, { userId: account.userId, contactIds: touched });
    return deleted.length;
  });
}

/** Changes since the stored cursor: new messages stored, deleted ones removed, labels updated. */
async function incrementalSync(o: SyncOptions, account: Account, mailbox: Mailbox) {
  const changes = await o.provider.changesSince(account.historyId!);
  const summary = emptySummary('incremental', changes.cursor);
  summary.deleted = await deleteMessages(o.db, account, changes.deleted);
  if (changes.relabelled.size) {
    const rows = [...changes.relabelled].map(([id, labels]) => ({ id, labels }));
    const updated = rowsOf<{ id: string }>(
      await o.db.execute(sql`
        UPDATE emails e SET labels = ARRAY(SELECT json_array_elements_text(v.labels))
          FROM json_to_recordset(${jsonRows(rows)}::json) AS v(id text, labels json)
         WHERE e.user_id = ${account.userId} AND e.source = ${account.provider} AND e.provider_message_id = v.id
        RETURNING e.id`),
    );
    summary.relabelled = updated.length;
  }
  for (let i = 0; i < changes.added.length; i += 100) {
    const ids = changes.added.slice(i, i + 100);
    const r = await fetchAndStore(o, account, mailbox, ids, {
      read: i + ids.length,
      total: changes.added.length,
      done: i + 100 >= changes.added.length,
      perMessageEvents: changes.added.length <= 100,
    });
    summary.listed += ids.length;
    summary.fetched += r.fetched;
    summary.stored += r.stored;
    summary.duplicates += r.duplicates;
    summary.failed += r.failed;
  }
  await o.db.execute(sql`
    UPDATE mail_accounts SET history_id = ${changes.cursor}, updated_at = now() WHERE id = ${account.id}`);
  return summary;
}

/**
 * Syncs one mail account: a full sync the first time (resuming an unfinished one), then
 * incremental changes; an expired cursor falls back to a full resync and says so in the event
 * log. Failures follow one policy: auth → "needs reconnection", permission → "needs
 * permission" (both final, no retry); anything else is temporary and thrown for a retry.
 */
export async function syncMailAccount(o: SyncOptions): Promise<SyncSummary> {
  let account = await findMailAccount(o.db, o.userId, o.accountId);
  await setStatus(o.db, account, 'syncing');
  const mailbox: Mailbox = {
    userId: account.userId,
    accountId: account.id,
    source: account.provider,
    owners: ownerSet(account),
  };
  try {
    let summary: SyncSummary;
    if (!account.historyId) summary = await fullSync(o, account, mailbox, false);
    else {
      try {
        summary = await incrementalSync(o, account, mailbox);
      } catch (err) {
        if (failureKind(err) !== 'cursor') throw err;
        await emit(
          o.db,
          {
            type: 'mail.full_resync',
            payload: { accountId: account.id, reason: (err as Error).message },
          },
          { userId: account.userId, source: 'sync' },
        );
        await o.db.execute(sql`
          UPDATE mail_accounts SET history_id = NULL, sync_cursor = NULL WHERE id = ${account.id}`);
        account = { ...account, historyId: null, syncCursor: null };
        summary = await fullSync(o, account, mailbox, true);
      }
    }
    if (!summary.complete) return summary; // still syncing: the continuation picks it up
    await o.db.execute(sql`
      UPDATE mail_accounts SET last_synced_at = now(), failure_count = 0,
        messages_count = (SELECT count(*) FROM emails WHERE account_id = ${account.id}),
        bytes_count = (SELECT coalesce(sum(size_bytes), 0) FROM emails WHERE account_id = ${account.id})
       WHERE id = ${account.id}`);
    await setStatus(o.db, account, 'idle');
    return summary;
  } catch (err) {
    const kind = failureKind(err);
    const status: SyncStatus =
      kind === 'auth' ? 'needs_reconnect' : kind === 'permission' ? 'needs_permission' : 'error';
    await setStatus(o.db, account, status, (err as Error).message.slice(0, 500));
    throw err;
  }
}
