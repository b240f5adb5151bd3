import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { Address, AttachmentMeta } from '@/server/db/schema';
import { notFound } from '@/server/errors/app-error';

export type TimelineItem = {
  id: string;
  subject: string | null;
  fromEmail: string | null;
  fromName: string | null;
  sentAt: Date | null;
  direction: 'inbound' | 'outbound';
  threadId: string | null;
  snippet: string | null;
  hasHtml: boolean;
  attachments: number;
};

/**
 * The interaction timeline with one contact, newest first, in pages (`before` is the last
 * item's date). Each message once, whatever the contact's roles in it.
 */
/** Throws NOT_FOUND unless the contact is the user's. */
export async function requireOwnContact(db: DbOrTx, userId: string, contactId: string) {
  const [own] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM contacts WHERE id = ${contactId} AND user_id = ${userId}`),
  );
  if (!own) throw notFound('Contact');
}

/**
 * A contact's rows, read with the user's scope: rows mean the contact is the user's; none may
 * mean "no mail yet" or "not your contact", and only then is it looked up (another user's id
 * answers NOT_FOUND, not an empty list).
 */
export async function ownContactRows<T>(
  db: DbOrTx,
  userId: string,
  contactId: string,
  rows: T[],
): Promise<T[]> {
  if (rows.length === 0) await requireOwnContact(db, userId, contactId);
  return rows;
}

export async function contactTimeline(
  db: DbOrTx,
  userId: string,
  contactId: string,
  o: { before?: Date; limit: number },
) {
  const rows = rowsOf<TimelineItem & { sentAt: string | Date | null }>(
    await db.execute(sql`
      SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName", e.sent_at AS "sentAt",
             e.direction, e.thread_id AS "threadId", e.snippet, e.body_html IS NOT NULL AS "hasHtml",
             jsonb_array_length(e.attachments)::int AS attachments
        FROM emails e
       WHERE e.user_id = ${userId}
         AND e.id IN (SELECT i.email_id FROM interactions i WHERE i.user_id = ${userId} AND i.contact_id = ${contactId})
         ${o.before ? sql`AND e.sent_at < ${o.before.toISOString()}::timestamptz` : sql``}
       ORDER BY e.sent_at DESC NULLS LAST, e.id
       LIMIT ${o.limit + 1}`),
  );
  await ownContactRows(db, userId, contactId, rows);
  const items = rows
    .slice(0, o.limit)
    .map((r) => ({ ...r, sentAt: r.sentAt ? new Date(r.sentAt) : null }));
  return { items, more: rows.length > o.limit };
}

/** Mail each way per month with a contact, for the chart. */
export async function monthlyActivity(db: DbOrTx, userId: string, contactId: string) {
  const rows = rowsOf<{ month: string; sent: number; received: number }>(
    await db.execute(sql`
      SELECT to_char(date_trunc('month', i.occurred_at), 'YYYY-MM') AS month,
             count(*) FILTER (WHERE i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc'))::int AS sent,
             count(*) FILTER (WHERE i.role = 'from')::int AS received
        FROM interactions i JOIN contacts c ON c.id = i.contact_id
       WHERE i.user_id = ${userId} AND c.user_id = ${userId} AND i.contact_id = ${contactId}
       GROUP BY 1 ORDER BY 1`),
  );
  return ownContactRows(db, userId, contactId, rows);
}

/** The CSP of the iframe an email's HTML is shown in: nothing loads, nothing runs. */
export const EMAIL_FRAME_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; script-src 'none'; form-action 'none'";

/**
 * One message in full, scoped to the user: plain text by default, and the HTML made safe to
 * show when it was stored (read as it is: nothing is parsed here). `htmlAsText`: it had HTML
 * too big to show; `htmlPending`: its HTML was stored raw (before sanitising at ingest) and
 * waits for the `mail.sanitize-html` job, the text standing in meanwhile.
 */
export async function emailDetail(db: DbOrTx, userId: string, emailId: string) {
  const [row] = rowsOf<{
    id: string;
    subject: string | null;
    fromEmail: string | null;
    fromName: string | null;
    to: Address[];
    cc: Address[];
    sentAt: string | Date | null;
    direction: 'inbound' | 'outbound';
    threadId: string | null;
    bodyText: string | null;
    bodyHtml: string | null;
    htmlSanitized: boolean;
    htmlAsText: boolean;
    attachments: AttachmentMeta[];
    labels: string[];
  }>(
    await db.execute(sql`
      SELECT id, subject, from_email AS "fromEmail", from_name AS "fromName", "to", cc, sent_at AS "sentAt",
             direction, thread_id AS "threadId", body_text AS "bodyText", body_html AS "bodyHtml",
             html_sanitized AS "htmlSanitized", html_as_text AS "htmlAsText", attachments, labels
        FROM emails WHERE id = ${emailId} AND user_id = ${userId}`),
  );
  if (!row) throw notFound('Email');
  const { bodyHtml, htmlSanitized, ...rest } = row;
  const html = htmlSanitized ? bodyHtml : null;
  return {
    ...rest,
    sentAt: row.sentAt ? new Date(row.sentAt) : null,
    htmlPending: bodyHtml !== null && !htmlSanitized,
    html: html
      ? `<!doctype html><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><base target="_blank">${html}`
      : null,
  };
}
