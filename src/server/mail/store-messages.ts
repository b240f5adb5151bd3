import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { participationsOf } from '@/server/contacts/contact-candidates';
import { nameDomainCompanies } from '@/server/contacts/domain-companies';
import { upsertContacts } from '@/server/contacts/upsert-contacts';
import { rowsOf, type Db, type Tx } from '@/server/db/client';
import { emitMany } from '@/server/events/emit';
import type { AppEvent } from '@/server/events/types';
import { emailRow, emailRowFields } from './email-row';
import { jsonRows } from './json-param';
import type { ParsedMessage } from './parsed-message';
import { normaliseSubject } from './subject';
import { roomFor, userQuota, type UserQuota } from './user-quota';
import { participantsOf, type Mailbox } from './mailbox';
import { knownThreads, recordConversations } from './thread-index';
import { resolveThreads } from './thread-resolver';

export type StoreOptions = {
  /** Small incremental syncs: one email.received / email.sent event per message (≤ 100). */
  perMessageEvents?: boolean;
  eventSource: string;
  /** Counted by the caller (parse failures) and reported in the batch's summary event. */
  failed?: number;
  progress?: { read?: number; total?: number; done?: boolean; rate?: number };
  /**
   * Recompute the touched contacts' stats in the same transaction: a process that dies after
   * the commit cannot leave them stale (a retried sync skips what is stored, so it would not
   * recompute them). Bulk imports leave it off and recompute set-wise across batches.
   */
  recomputeStats?: boolean;
  /** The user's quota (user-quota.ts): default the environment's; null, none. */
  quota?: UserQuota | null;
};

export type StoreResult = {
  stored: number;
  duplicates: number;
  contactsCreated: number;
  emailIds: string[];
  touchedContactIds: string[];
  /** Provider ids of new messages left out: the user's quota is full. */
  overQuota?: string[];
};

const PER_MESSAGE_EVENT_LIMIT = 100;

/** Merges copies within the batch (same provider id or content key): one message, all labels. */
function dedupeBatch(batch: ParsedMessage[]) {
  const byKey = new Map<string, ParsedMessage>();
  const out: ParsedMessage[] = [];
  for (const m of batch) {
    const twin = byKey.get(`p:${m.providerMessageId}`) ?? byKey.get(`c:${m.contentKey}`);
    if (twin) {
      twin.labels = [...new Set([...twin.labels, ...m.labels])];
      continue;
    }
    byKey.set(`p:${m.providerMessageId}`, m);
    byKey.set(`c:${m.contentKey}`, m);
    out.push(m);
  }
  return { unique: out, inBatchDuplicates: batch.length - out.length };
}

async function findStored(tx: Tx, mailbox: Mailbox, batch: ParsedMessage[]) {
  const rows = rowsOf<{
    id: string;
    provider_message_id: string;
    message_id_header: string | null;
    content_key: string | null;
    source: string;
  }>(
    await tx.execute(sql`
      SELECT id, provider_message_id, message_id_header, content_key, source FROM emails
       WHERE user_id = ${mailbox.userId}
         AND (content_key = ANY(${sql.param(batch.map((m) => m.contentKey))}::text[])
          -- mbox ids are Message-IDs or content hashes: the other two lookups cover them.
          OR (${mailbox.source !== 'mbox'} AND source = ${mailbox.source}
              AND provider_message_id = ANY(${sql.param(batch.map((m) => m.providerMessageId))}::text[]))
          OR message_id_header = ANY(${sql.param(batch.flatMap((m) => (m.messageId ? [m.messageId] : [])))}::text[]))`),
  );
  const byProvider = new Map<string, string>();
  const byContent = new Map<string, string>();
  const byMessageId = new Map<string, string>();
  for (const r of rows) {
    if (r.source === mailbox.source) byProvider.set(r.provider_message_id, r.id);
    if (r.content_key) byContent.set(r.content_key, r.id);
    if (r.message_id_header) byMessageId.set(r.message_id_header, r.id);
  }
  return (m: ParsedMessage) =>
    byProvider.get(m.providerMessageId) ??
    byContent.get(m.contentKey) ??
    (m.messageId ? byMessageId.get(m.messageId) : undefined);
}

/**
 * Stores a batch idempotently in one transaction: emails (a copy already stored, in this or
 * another folder, merges its labels instead), their threads, the people in them and one
 * interaction per person and message; then the batch's events.
 */
export async function storeMessages(
  db: Db,
  mailbox: Mailbox,
  batch: ParsedMessage[],
  options: StoreOptions,
): Promise<StoreResult> {
  return db.transaction(async (tx) => {
    // One writer per user at a time: concurrent imports cannot both insert the same message.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`mail:${mailbox.userId}`}))`);
    // Imports and syncs are idempotent: a batch lost in a crash is simply stored again, so the
    // commit need not wait for the WAL flush.
    await tx.execute(sql`SET LOCAL synchronous_commit = off`);
    const { unique, inBatchDuplicates } = dedupeBatch(batch);
    const storedId = unique.length ? await findStored(tx, mailbox, unique) : () => undefined;
    const merges: { id: string; labels: string[] }[] = [];
    let fresh: ParsedMessage[] = [];
    for (const m of unique) {
      const id = storedId(m);
      if (id) merges.push({ id, labels: m.labels });
      else fresh.push(m);
    }
    // New mail beyond the user's quota is left out (labels of what is stored still merge).
    const quota = options.quota === undefined ? userQuota() : options.quota;
    let overQuota: string[] = [];
    if (quota && fresh.length) {
      const fit = await roomFor(
        tx,
        mailbox.userId,
        quota,
        fresh.map((m) => m.sizeBytes),
      );
      overQuota = fresh.slice(fit).map((m) => m.providerMessageId);
      fresh = fresh.slice(0, fit);
    }
    if (merges.some((m) => m.labels.length)) {
      await tx.execute(sql`
        UPDATE emails e SET labels = ARRAY(SELECT DISTINCT unnest(e.labels || v.labels))
          FROM json_to_recordset(${jsonRows(merges)}::json) AS v(id uuid, labels text[])
         WHERE e.id = v.id AND NOT (v.labels <@ e.labels)`);
    }

    const result: StoreResult = {
      stored: 0,
      duplicates: inBatchDuplicates + merges.length,
      contactsCreated: 0,
      emailIds: [],
      touchedContactIds: [],
      ...(overQuota.length ? { overQuota } : {}),
    };
    if (fresh.length) {
      const shapes = fresh.map((m) => ({
        subjNorm: normaliseSubject(m.subject),
        participants: participantsOf(m),
      }));
      const threads = resolveThreads(
        fresh.map((m, i) => ({
          key: m.providerMessageId,
          messageId: m.messageId,
          providerThreadId: m.providerThreadId,
          inReplyTo: m.inReplyTo,
          references: m.references,
          subjectNorm: shapes[i]!.subjNorm,
          participants: shapes[i]!.participants,
          sentAt: m.sentAt,
        })),
        await knownThreads(tx, mailbox, fresh),
        mailbox.owners,
      );
      const rows = fresh.map((m, i) => ({
        id: crypto.randomUUID(),
        thread: threads.get(m.providerMessageId),
        ...shapes[i]!,
        sentAt: m.sentAt?.toISOString() ?? null,
        direction: m.from && mailbox.owners.has(m.from.email) ? 'outbound' : 'inbound',
      }));
      // Each row from the message's own fields (built on the parse worker when there is one).
      const json = `[${fresh
        .map((m, i) => emailRow(m.row ?? emailRowFields(m), { ...rows[i]!, labels: m.labels }))
        .join(',')}]`;
      const inserted = rowsOf<{ id: string }>(
        await tx.execute(sql`
          INSERT INTO emails (id, user_id, account_id, source, provider_message_id, message_id_header,
            thread_id, content_key, in_reply_to, "references", subject, subject_norm, from_email,
            from_name, "to", cc, bcc, reply_to, participants, sent_at, direction, snippet,
            body_text, body_html, html_sanitized, html_as_text, labels, headers, attachments,
            size_bytes)
          SELECT id, ${mailbox.userId}, ${mailbox.accountId}::uuid, ${mailbox.source}, pmid, mid,
            thread, ckey, irt, refs, subject, "subjNorm", "fromEmail", "fromName", "to", cc, bcc,
            "replyTo", participants, "sentAt", direction, snippet, text, html, true,
            coalesce("htmlAsText", false), labels, headers, attachments, size
          FROM json_to_recordset(${json}::json) AS v(id uuid, pmid text, mid text,
            thread text, ckey text, irt text, refs text[], subject text, "subjNorm" text,
            "fromEmail" text, "fromName" text, "to" jsonb, cc jsonb, bcc jsonb, "replyTo" jsonb,
            participants text[], "sentAt" timestamptz, direction text, snippet text, text text,
            html text, "htmlAsText" boolean, labels text[], headers jsonb, attachments jsonb,
            size bigint)
          ON CONFLICT (user_id, source, provider_message_id) DO NOTHING
          RETURNING id`),
      );
      const insertedIds = new Set(inserted.map((r) => r.id));
      const storedRows = rows.filter((r) => insertedIds.has(r.id));
      const storedMessages = fresh.filter((_, i) => insertedIds.has(rows[i]!.id));
      result.stored = storedRows.length;
      result.duplicates += rows.length - storedRows.length;
      result.emailIds = storedRows.map((r) => r.id);

      const contacts = await upsertContacts(tx, mailbox, storedMessages);
      result.contactsCreated = contacts.created;
      const interactions = storedMessages.flatMap((m, i) =>
        participationsOf(m, mailbox.owners).flatMap(({ email, role }) => {
          const contactId = contacts.ids.get(email);
          const row = storedRows[i]!;
          return contactId
            ? [
                {
                  contactId,
                  emailId: row.id,
                  direction: row.direction,
                  role,
                  thread: row.thread,
                  at: row.sentAt,
                },
              ]
            : [];
        }),
      );
      if (interactions.length) {
        await tx.execute(sql`
          INSERT INTO interactions (user_id, contact_id, email_id, type, direction, role, thread_id, occurred_at)
          SELECT ${mailbox.userId}, "contactId", "emailId", 'email', direction, role, thread, coalesce(at, now())
            FROM json_to_recordset(${jsonRows(interactions)}::json)
              AS v("contactId" uuid, "emailId" uuid, direction text, role text, thread text, at timestamptz)
          ON CONFLICT (email_id, contact_id) DO NOTHING`);
      }
      await recordConversations(tx, mailbox, storedRows);
      result.touchedContactIds = [...new Set(interactions.map((r) => r.contactId))];
      // An incremental sync names its people's domain companies as their colleagues sign them
      // (a bulk import does once at its end).
      const changed = new Map(contacts.changed.map((c) => [c.id, c]));
      if (options.recomputeStats) {
        const ids = [...new Set(contacts.ids.values())];
        for (const c of await nameDomainCompanies(tx, mailbox.userId, { contactIds: ids }))
          if (!contacts.fresh.some((f) => f.id === c.id)) changed.set(c.id, c);
      }
      const bytes = storedMessages.reduce((n, m) => n + (m.sizeBytes || 0), 0);
      await tx.execute(sql`UPDATE mail_accounts SET messages_count = messages_count + ${result.stored},
        bytes_count = bytes_count + ${bytes}, updated_at = now() WHERE id = ${mailbox.accountId}::uuid`);

      if (options.perMessageEvents && storedRows.length <= PER_MESSAGE_EVENT_LIMIT) {
        const events: AppEvent[] = storedMessages.map((m, i) =>
          storedRows[i]!.direction === 'outbound'
            ? {
                type: 'email.sent',
                payload: {
                  emailId: storedRows[i]!.id,
                  to: m.to.map((a) => a.email),
                  subject: m.subject,
                },
              }
            : {
                type: 'email.received',
                payload: {
                  emailId: storedRows[i]!.id,
                  from: m.from?.email ?? null,
                  subject: m.subject,
                },
              },
        );
        // New people of a small sync, one event each (bulk imports count them in the summary).
        if (contacts.fresh.length <= PER_MESSAGE_EVENT_LIMIT) {
          for (const c of contacts.fresh) {
            events.push({ type: 'contact.created', payload: { contactId: c.id, email: c.email } });
          }
          for (const c of changed.values()) {
            events.push({ type: 'contact.updated', payload: { contactId: c.id, email: c.email } });
          }
        }
        await emitMany(tx, events, { userId: mailbox.userId, source: options.eventSource });
      }
    }
    if (options.recomputeStats && result.touchedContactIds.length)
      await recomputeStats(tx, { userId: mailbox.userId, contactIds: result.touchedContactIds });
    if (
      !options.perMessageEvents ||
      result.stored > PER_MESSAGE_EVENT_LIMIT ||
      options.progress?.done
    ) {
      await emitMany(
        tx,
        [
          {
            type: 'emails.synced',
            payload: {
              accountId: mailbox.accountId,
              source: mailbox.source,
              stored: result.stored,
              duplicates: result.duplicates,
              failed: options.failed ?? 0,
              contactsCreated: result.contactsCreated,
              ...options.progress,
            },
          },
        ],
        { userId: mailbox.userId, source: options.eventSource },
      );
    }
    return result;
  });
}

export type { Mailbox };
