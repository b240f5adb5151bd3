import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { mailAccounts } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const mailAccountsRouter = createTRPCRouter({
  /** The user's mail sources: Gmail accounts and mbox imports, with their sync state. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db
      .select()
      .from(mailAccounts)
      .where(eq(mailAccounts.userId, ctx.user.id))
      .orderBy(desc(mailAccounts.createdAt));
    return rows.map((a) => ({
      id: a.id,
      provider: a.provider,
      address: a.address,
      status: a.syncStatus,
      lastSyncedAt: a.lastSyncedAt,
      lastError: a.lastError,
      messages: a.messagesCount,
      progress: a.syncCursor ? { fetched: a.syncCursor.fetched, total: a.syncCursor.total } : null,
      linked: Boolean(a.authAccountId),
    }));
  }),

  /** Queues a sync of one Gmail account now (the schedule syncs it anyway). */
  syncNow: protectedProcedure
    .input(z.object({ accountId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const account = await findMailAccount(ctx.db, ctx.user.id, input.accountId);
      if (account.provider !== 'gmail')
        throw new AppError(
          'INVALID_INPUT',
          'Only Gmail accounts sync; import the mbox file again instead',
        );
      if (account.syncStatus === 'needs_reconnect' || account.syncStatus === 'needs_permission')
        throw new AppError('CONFLICT', 'Reconnect this Gmail account first');
      const jobId = await (
        await ctx.jobs()
      ).enqueue('mail.sync-gmail', {
        userId: ctx.user.id,
        accountId: account.id,
        reason: 'manual',
      });
      return { jobId, alreadyQueued: jobId === null };
    }),

  /** Removes a mail source and everything imported from it. */
  remove: protectedProcedure
    .input(z.object({ accountId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await findMailAccount(ctx.db, ctx.user.id, input.accountId);
      await ctx.db
        .delete(mailAccounts)
        .where(and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.userId, ctx.user.id)));
      // Its mail went with it (cascade): the relationship figures follow.
      await recomputeStats(ctx.db, { userId: ctx.user.id });
      return { removed: true };
    }),
});
