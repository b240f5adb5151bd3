import { z } from 'zod';
import { boundedEmail } from '@/lib/bounded-string';
import { getEnv, publicUrl } from '@/env';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-policy';
import { forgetSessions } from '@/server/auth/session-cache';
import { findUserIdByEmail } from '@/server/auth/users';
import { AppError } from '@/server/errors/app-error';
import { defineCommand, findUserId, onlyUserId } from './define-command';

const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(128);

/** `rapport users …`: accounts the operator makes, passwords they set, invitations. */
export const userCommands = {
  'users.create': defineCommand({
    input: z.object({
      email: boundedEmail(),
      password: passwordSchema,
      name: z.string().max(200).trim().min(1),
    }),
    async run({ handle, auth }, input) {
      // Sign-up answers a taken address as if it made a user: the operator is told plainly.
      const taken = await findUserIdByEmail(handle.db, input.email).catch(() => null);
      if (taken) throw new AppError('CONFLICT', `${input.email} already has an account`);
      const result = await auth.api.signUpEmail({ body: input }).catch((err: unknown) => {
        throw new AppError(
          'CONFLICT',
          `Could not create ${input.email}: ${(err as Error).message}`,
        );
      });
      return { id: result.user.id, email: result.user.email };
    },
  }),
  /** A new password for a user (after a restore that dropped it, or a forgotten one). */
  'users.set-password': defineCommand({
    input: z.object({ email: boundedEmail(), password: passwordSchema }),
    async run({ handle, auth }, input) {
      const userId = await findUserId(handle, input.email);
      const ctx = await auth.$context;
      const hash = await ctx.password.hash(input.password);
      const accounts = await ctx.internalAdapter.findAccounts(userId);
      if (accounts.some((a) => a.providerId === 'credential'))
        await ctx.internalAdapter.updatePassword(userId, hash);
      else
        await ctx.internalAdapter.linkAccount({
          userId,
          providerId: 'credential',
          accountId: userId,
          password: hash,
        });
      // Whoever knew the old one is signed out.
      await ctx.internalAdapter.deleteUserSessions(userId);
      forgetSessions({ userId });
      return { email: input.email };
    },
  }),
  /** A sign-up invitation from a user (RAPPORT_SIGNUP=invite): its single-use link. */
  'users.invite': defineCommand({
    input: z.object({
      user: boundedEmail().optional(),
      email: boundedEmail().optional(),
      days: z.number().int().min(1).max(30).default(7),
    }),
    async run({ handle }, input) {
      const { createInvite } = await import('@/server/auth/invites');
      const { signupMode } = await import('@/server/auth/signup-policy');
      const userId = input.user ? await findUserId(handle, input.user) : await onlyUserId(handle);
      const invite = await createInvite(handle.db, {
        userId,
        email: input.email,
        days: input.days,
      });
      return {
        url: `${publicUrl()}/sign-up?invite=${invite.token}`,
        expiresAt: invite.expiresAt,
        signup: await signupMode(handle.db, getEnv()),
      };
    },
  }),
};
