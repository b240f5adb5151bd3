import { and, eq, max, sql } from 'drizzle-orm';
import { repliesOwed } from '@/server/assistant/network-data';
import { rowsOf } from '@/server/db/client';
import { contacts, emails, mailAccounts } from '@/server/db/schema';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const dashboardRouter = createTRPCRouter({
  summary: protectedProcedure.query(async ({ ctx }) => {
    const userId = ctx.user.id;
    const [[people], [mail], [accounts]] = await Promise.all([
      ctx.db
        .select({ count: sql<number>`count(*)::int` })
        .from(contacts)
        .where(
          and(eq(contacts.userId, userId), eq(contacts.isHuman, true), eq(contacts.hidden, false)),
        ),
      ctx.db
        .select({ count: sql<number>`count(*)::int` })
        .from(emails)
        .where(eq(emails.userId, userId)),
      ctx.db
        .select({ count: sql<number>`count(*)::int`, lastSyncedAt: max(mailAccounts.lastSyncedAt) })
        .from(mailAccounts)
        .where(eq(mailAccounts.userId, userId)),
    ]);
    return {
      people: people?.count ?? 0,
      emails: mail?.count ?? 0,
      mailAccounts: accounts?.count ?? 0,
      lastSyncedAt: accounts?.lastSyncedAt ?? null,
    };
  }),

  /** Conversations waiting on the user (the assistant's "replies you owe"). */
  repliesOwed: protectedProcedure.query(async ({ ctx }) =>
    (await repliesOwed(ctx.db, ctx.user.id, 8)).map((r) => ({
      contactId: r.id,
      name: r.name,
      email: r.email,
      subject: r.subject,
      at: r.at,
      emailId: r.emailId,
    })),
  ),

  /** The latest mail with people, newest first. */
  recent: protectedProcedure.query(async ({ ctx }) =>
    rowsOf<{
      id: string;
      subject: string | null;
      direction: 'inbound' | 'outbound';
      sentAt: Date;
      contactId: string;
      name: string | null;
      email: string;
    }>(
      await ctx.db.execute(sql`
        SELECT DISTINCT ON (e.sent_at, e.id) e.id, e.subject, e.direction, e.sent_at AS "sentAt",
               c.id AS "contactId", c.name, c.email
          FROM emails e
          JOIN interactions i ON i.email_id = e.id AND i.user_id = ${ctx.user.id}
          JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id AND c.is_human AND NOT c.hidden
         WHERE e.user_id = ${ctx.user.id} AND e.sent_at IS NOT NULL
         ORDER BY e.sent_at DESC, e.id, (i.role = 'from') DESC
         LIMIT 10`),
    ),
  ),
});
