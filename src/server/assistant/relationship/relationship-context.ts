import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { notFound } from '@/server/errors/app-error';
import { contactProfile, recentEmailsWith, threadMessages } from '../network-data';

/** Everything the relationship functions stand on: profile, stats, recent mail, the owner. */
export async function relationshipContext(
  db: DbOrTx,
  userId: string,
  contactId: string,
  options: { threadId?: string; recent?: number } = {},
) {
  const profile = await contactProfile(db, userId, contactId);
  if (!profile) throw notFound('Contact');
  const [owner] = rowsOf<{ name: string | null; email: string }>(
    await db.execute(sql`SELECT name, email FROM users WHERE id = ${userId}`),
  );
  // The mail the relationship measures count (theirs, and yours to them): a message from a
  // colleague with them on copy is not "from them", nor a reply owed to them.
  const recent = await recentEmailsWith(db, userId, contactId, options.recent ?? 12, {
    exchanged: true,
  });
  if (options.threadId) {
    // A thread named by the caller must be one this contact is in.
    const [own] = rowsOf<{ ok: boolean }>(
      await db.execute(sql`
        SELECT true AS ok FROM interactions i
         WHERE i.user_id = ${userId} AND i.contact_id = ${contactId} AND i.thread_id = ${options.threadId}
         LIMIT 1`),
    );
    if (!own) throw notFound('Thread');
  }
  const threadId = options.threadId ?? recent[0]?.threadId ?? null;
  const thread = threadId ? await threadMessages(db, userId, threadId, 12) : [];
  const months = rowsOf<{ month: string; sent: number; received: number }>(
    await db.execute(sql`
      SELECT to_char(date_trunc('month', i.occurred_at), 'YYYY-MM') AS month,
             count(*) FILTER (WHERE i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc'))::int AS sent,
             count(*) FILTER (WHERE i.role = 'from')::int AS received
        FROM interactions i
       WHERE i.user_id = ${userId} AND i.contact_id = ${contactId}
       GROUP BY 1 ORDER BY 1`),
  );
  return { profile, owner: owner ?? { name: null, email: '' }, recent, thread, months };
}

export type RelationshipContext = Awaited<ReturnType<typeof relationshipContext>>;

export const firstName = (name: string | null, email: string) =>
  (name?.split(/\s+/)[0] ?? email.split('@')[0]!.split(/[._-]/)[0]!).replace(/^./, (c) =>
    c.toUpperCase(),
  );

export const daysBetween = (a: Date, b: Date) =>
  Math.floor((b.getTime() - a.getTime()) / 86_400_000);
