import { and, eq, max, sql } from 'drizzle-orm';
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
});
