import { z } from 'zod';
import { boundedEmail } from '@/lib/bounded-string';
import { publicUrl } from '@/env';
import { createInvite, listInvites, revokeInvite } from '@/server/auth/invites';
import { signupMode } from '@/server/auth/signup-policy';
import { AppError } from '@/server/errors/app-error';
import { createTRPCRouter, protectedProcedure } from '../trpc';

/** Sign-up invitations (RAPPORT_SIGNUP=invite): the user's own, made, listed and withdrawn. */
export const invitesRouter = createTRPCRouter({
  /** The user's invitations still waiting. */
  list: protectedProcedure.query(({ ctx }) => listInvites(ctx.db, ctx.user.id)),

  /** A single-use sign-up link, for one address or anyone; its token is shown this once. */
  create: protectedProcedure
    .input(z.object({ email: boundedEmail().optional() }))
    .mutation(async ({ ctx, input }) => {
      const mode = await signupMode(ctx.db, ctx.env);
      if (mode !== 'invite')
        throw new AppError(
          'CONFLICT',
          `This server takes no invitations (sign-up is ${mode}; RAPPORT_SIGNUP=invite turns them on)`,
        );
      const invite = await createInvite(ctx.db, { userId: ctx.user.id, email: input.email });
      return {
        id: invite.id,
        url: `${publicUrl(ctx.env)}/sign-up?invite=${invite.token}`,
        expiresAt: invite.expiresAt,
      };
    }),

  revoke: protectedProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await revokeInvite(ctx.db, ctx.user.id, input.id);
    return { revoked: true };
  }),
});
