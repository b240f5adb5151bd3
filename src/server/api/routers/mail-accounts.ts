import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { rowsOf } from '@/server/db/client';
import { mailAccounts } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { revokeGoogleGrant } from '@/server/mail/gmail/revoke-google';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const mailAccountsRouter = createTRPCRouter({
  /** The user's mail sources: Gmail accounts and mbox imports, with their sync state. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db
      .select()
      .from(mailAccounts)
      .where(eq(mailAccounts.userId, ctx.user.id))
      .orderBy(desc(mailAccounts.createdAt));
    // Messages each source could not take (a file imported twice records its bad ones twice).
    const rejected = new Map(
      rowsOf<{ account_id: string; n: number }>(
        await ctx.db.execute(sql`
          SELECT account_id, count(DISTINCT (source_ref, reason))::int AS n FROM import_errors
           WHERE user_id = ${ctx.user.id} AND account_id IS NOT NULL GROUP BY account_id`),
      ).map((r) => [r.account_id, r.n]),
    );
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
      aliases: a.aliases,
      updatedAt: a.updatedAt,
      rejected: rejected.get(a.id) ?? 0,
    }));
  }),

  /** The messages a source could not take, newest first, each once, with why. */
  importErrors: protectedProcedure
    .input(z.object({ accountId: z.uuid(), limit: z.number().int().min(1).max(500).default(50) }))
    .query(async ({ ctx, input }) => {
      await findMailAccount(ctx.db, ctx.user.id, input.accountId);
      const rows = rowsOf<{ ref: string; reason: string; excerpt: string | null; at: string }>(
        await ctx.db.execute(sql`
          SELECT ref, reason, excerpt, at FROM (
            SELECT DISTINCT ON (source_ref, reason) source_ref AS ref, reason, excerpt,
                   created_at AS at
              FROM import_errors
             WHERE user_id = ${ctx.user.id} AND account_id = ${input.accountId}::uuid
             ORDER BY source_ref, reason, created_at DESC) e
          ORDER BY at DESC, length(ref), ref LIMIT ${input.limit}`),
      );
      return rows.map((r) => ({ ...r, at: new Date(r.at) }));
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

  /**
   * Removes a mail source and everything imported from it; a Gmail account's Google grant is
   * revoked at Google and its stored tokens deleted.
   */
  remove: protectedProcedure
    .input(z.object({ accountId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const account = await findMailAccount(ctx.db, ctx.user.id, input.accountId);
      await ctx.db
        .delete(mailAccounts)
        .where(and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.userId, ctx.user.id)));
      const { revoked } = account.authAccountId
        ? await revokeGoogleGrant(ctx.db, {
            userId: ctx.user.id,
            authAccountId: account.authAccountId,
            revokeUrl: ctx.env.GOOGLE_REVOKE_URL,
            secret: resolveAuthSecret(ctx.env),
          })
        : { revoked: false };
      // Its mail went with it (cascade): the relationship figures follow.
      await recomputeStats(ctx.db, { userId: ctx.user.id });
      return { removed: true, revoked };
    }),
});
