import { verifyPassword } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { account } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { enforceRateLimit } from '@/server/rate-limit/api-rate-limiter';

/** A session this young counts as a fresh sign-in (users without a password). */
export const FRESH_SESSION_MS = 10 * 60_000;

/** The user's password hash, or null when they sign in with Google only. */
export async function passwordHash(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ password: account.password })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, 'credential')));
  return row?.password ?? null;
}

/**
 * Proof that the person at the keyboard is the account's owner, not just someone holding its
 * session (a borrowed laptop, a stolen cookie), before something that cannot be undone: the
 * password when there is one (5 tries a minute), else a sign-in within the last 10 minutes.
 */
export async function reauthenticate(
  db: Db,
  o: { userId: string; password?: string; sessionCreatedAt?: Date },
) {
  const hash = await passwordHash(db, o.userId);
  if (hash) {
    if (!o.password) throw new AppError('UNAUTHORIZED', 'Enter your password to confirm');
    await enforceRateLimit(db, `reauth:${o.userId}`, { limit: 5, windowSeconds: 60 });
    if (!(await verifyPassword({ hash, password: o.password })))
      throw new AppError('UNAUTHORIZED', 'Wrong password');
    return;
  }
  const age = o.sessionCreatedAt ? Date.now() - o.sessionCreatedAt.getTime() : Infinity;
  if (!(age <= FRESH_SESSION_MS))
    throw new AppError(
      'UNAUTHORIZED',
      'Sign in again (with Google) to confirm, then delete within 10 minutes',
    );
}
