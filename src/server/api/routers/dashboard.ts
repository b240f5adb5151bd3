import { eq, max, sql } from 'drizzle-orm';
import { isMailingSql } from '@/server/analytics/mailing-text';
import { repliesOwed } from '@/server/analytics/replies-owed';
import { rowsOf } from '@/server/db/client';
import { emails, mailAccounts } from '@/server/db/schema';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const dashboardRouter = createTRPCRouter({
  summary: protectedProcedure.query(async ({ ctx }) => {
    const userId = ctx.user.id;
    const [[people], [mail], [accounts]] = await Promise.all([
      // The owner's network, and the people only seen beside them on others' mail: the stats
      // index of the network, less the few contacts left out (hidden, robots).
      rowsOf<{ people: number; seen: number }>(
        await ctx.db.execute(sql`
          WITH humans AS (
            SELECT count(*)::int AS n FROM contacts
             WHERE user_id = ${userId} AND is_human AND NOT hidden
          ), network AS (
            SELECT count(*)::int AS n FROM contact_stats s
             WHERE s.user_id = ${userId} AND s.corresponded
               AND s.contact_id NOT IN (SELECT id FROM contacts
                                         WHERE user_id = ${userId} AND (hidden OR NOT is_human))
          )
          SELECT network.n AS people, humans.n - network.n AS seen FROM humans, network`),
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
      people: people?.people ?? 0,
      seen: people?.seen ?? 0,
      emails: mail?.count ?? 0,
      mailAccounts: accounts?.count ?? 0,
      lastSyncedAt: accounts?.lastSyncedAt ?? null,
    };
  }),

  /** Conversations waiting on the user: the one rule (repliesOwed) the contact page uses too. */
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

  /**
   * The latest mail exchanged with the people of the owner's network, newest first: their mail
   * to the owner, and the owner's to them. A robot's mail, a mass mailing's, or a stranger's
   * with one of them on copy, is not activity with people.
   */
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
           AND (i.role = 'from' OR (e.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc')))
          JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id AND c.is_human AND NOT c.hidden
          JOIN contact_stats s ON s.contact_id = c.id AND s.user_id = c.user_id AND s.corresponded
         WHERE e.user_id = ${ctx.user.id} AND e.sent_at IS NOT NULL
           AND (e.direction = 'outbound' OR NOT ${isMailingSql(sql`coalesce(e.body_text, '')`)})
         ORDER BY e.sent_at DESC, e.id, (i.role = 'from') DESC,
                  array_position(ARRAY['to', 'cc', 'bcc'], i.role)
         LIMIT 10`),
    ),
  ),
});
