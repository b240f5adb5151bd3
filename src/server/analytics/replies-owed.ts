import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { asksSomething } from './asks-something';
import { ownerAddresses } from './owner-addresses';
import { scoringTime } from './recompute-stats';

/** Older than this (before the user's latest mail), a message is past replying to. */
export const REPLY_WINDOW_DAYS = 30;
/** More recipients than this in To and Cc, and a message is a broadcast: nobody owes it a reply. */
export const BROADCAST_RECIPIENTS = 5;

export type OwedReply = {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  isHuman: boolean;
  emailsSent: number;
  emailsReceived: number;
  totalEmails: number;
  n: number;
  at: Date | null;
  emailId: string;
  subject: string | null;
  threadId: string | null;
};

/**
 * Replies the owner owes: the one rule of the dashboard, the contact page's next actions and
 * the assistant. A message is owed a reply when it is the latest of its conversation (nothing
 * of the owner's came after it), it came from a person of the owner's network (not a robot,
 * not hidden), it was addressed to the owner (an owner address in To: on copy is for their
 * information), to at most BROADCAST_RECIPIENTS people in To and Cc, not through a list, and it
 * asks something of them (a question or request in the sender's own words, not an FYI:
 * asksSomething); and it is at most REPLY_WINDOW_DAYS older than `now` (default: the user's
 * latest mail, as the scores are reckoned).
 */
export async function repliesOwed(
  db: DbOrTx,
  userId: string,
  limit = 10,
  options: { contactId?: string; now?: Date } = {},
): Promise<OwedReply[]> {
  const now = options.now ?? (await scoringTime(db, userId));
  if (!now) return [];
  const rows = rowsOf<OwedReply & { body: string | null }>(
    await db.execute(sql`
      WITH owners AS (SELECT ${ownerAddresses(userId)} AS list),
      last_in_thread AS (
        SELECT DISTINCT ON (coalesce(e.thread_id, e.id::text)) e.id, e.thread_id, e.subject,
               e.sent_at, e.direction, e."to", e.cc, e.headers, e.body_text
          FROM emails e
         WHERE e.user_id = ${userId} AND e.sent_at IS NOT NULL
           AND e.sent_at >= ${now.toISOString()}::timestamptz - make_interval(days => ${REPLY_WINDOW_DAYS})
         ORDER BY coalesce(e.thread_id, e.id::text), e.sent_at DESC
      )
      SELECT c.id, c.email, c.name, c.company, c.title, c.is_human AS "isHuman",
             s.emails_sent AS "emailsSent", s.emails_received AS "emailsReceived",
             s.total_emails AS "totalEmails", 1 AS n, l.sent_at AS at, l.id AS "emailId",
             l.subject, l.thread_id AS "threadId", left(l.body_text, 20000) AS body
        FROM last_in_thread l
        JOIN interactions i ON i.email_id = l.id AND i.user_id = ${userId} AND i.role = 'from'
        JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id
        JOIN contact_stats s ON s.contact_id = c.id AND s.user_id = c.user_id
       WHERE l.direction = 'inbound' AND c.is_human AND NOT c.hidden AND s.corresponded
         ${options.contactId ? sql`AND c.id = ${options.contactId}` : sql``}
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(l."to") a, owners o
                      WHERE lower(a->>'email') = ANY(o.list))
         AND jsonb_array_length(l."to") + jsonb_array_length(l.cc) <= ${BROADCAST_RECIPIENTS}
         AND NOT (l.headers ? 'list-id')
         AND lower(coalesce(l.headers->>'precedence', '')) NOT IN ('bulk', 'list', 'junk')
       ORDER BY l.sent_at DESC LIMIT 200`),
  );
  return rows
    .filter((r) => asksSomething(r.subject, r.body))
    .slice(0, limit)
    .map(({ body: _, ...r }) => ({ ...r, at: r.at ? new Date(r.at) : null }));
}
