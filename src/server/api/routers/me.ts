import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { reauthenticate } from '@/server/auth/reauthenticate';
import { forgetSessions } from '@/server/auth/session-cache';
import { rowsOf } from '@/server/db/client';
import { account, user } from '@/server/db/schema';
import { revokeGoogleGrant } from '@/server/mail/gmail/revoke-google';
import { AppError } from '@/server/errors/app-error';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const meRouter = createTRPCRouter({
  get: protectedProcedure.query(({ ctx }) => ctx.user),

  /**
   * Deletes the account and everything of it: mail, contacts, stats, events, sessions, linked
   * Google tokens (one cascade from the user row; the grants revoked at Google first), and its
   * queued jobs. The owner confirms it: their address, and their password (or a fresh sign-in).
   */
  deleteAccount: protectedProcedure
    .input(
      z.object({
        confirmEmail: z.string().max(254).trim().toLowerCase(),
        password: z.string().max(128).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.confirmEmail !== ctx.user.email.toLowerCase())
        throw new AppError('INVALID_INPUT', 'Type your email address to confirm');
      await reauthenticate(ctx.db, {
        userId: ctx.user.id,
        password: input.password,
        sessionCreatedAt: ctx.sessionCreatedAt,
      });
      for (const { id } of await ctx.db
        .select({ id: account.id })
        .from(account)
        .where(and(eq(account.userId, ctx.user.id), eq(account.providerId, 'google'))))
        await revokeGoogleGrant(ctx.db, {
          userId: ctx.user.id,
          authAccountId: id,
          revokeUrl: ctx.env.GOOGLE_REVOKE_URL,
          secret: resolveAuthSecret(ctx.env),
        });
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
