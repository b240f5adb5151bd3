import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { forgetSessions } from '@/server/auth/session-cache';
import { rowsOf } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const meRouter = createTRPCRouter({
  get: protectedProcedure.query(({ ctx }) => ctx.user),

  /**
   * Deletes the account and everything of it: mail, contacts, stats, events, sessions, linked
   * Google tokens (one cascade from the user row), and its queued jobs.
   */
  deleteAccount: protectedProcedure
    .input(z.object({ confirmEmail: z.string().max(254).trim().toLowerCase() }))
    .mutation(async ({ ctx, input }) => {
      if (input.confirmEmail !== ctx.user.email.toLowerCase())
        throw new AppError('INVALID_INPUT', 'Type your email address to confirm');
      await ctx.db.transaction(async (tx) => {
        const [jobs] = rowsOf<{ t: string | null }>(
          await tx.execute(sql`SELECT to_regclass('pgboss.job')::text AS t`),
        );
        if (jobs?.t)
          await tx.execute(
            sql`DELETE FROM pgboss.job WHERE data->>'userId' = ${ctx.user.id} AND state IN ('created', 'retry')`,
          );
        await tx.delete(user).where(eq(user.id, ctx.user.id));
      });
      forgetSessions({ userId: ctx.user.id });
      return { deleted: true };
    }),
});
