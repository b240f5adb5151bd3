import { APIError } from 'better-auth/api';
import { count, ne } from 'drizzle-orm';
import type { Env } from '@/env';
import type { DbOrTx } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { DEMO_EMAIL } from '@/server/demo/demo-account';
import { consumeInvite, validInvite } from './invites';

export type SignupMode = 'open' | 'invite' | 'closed';

/** The cookie the sign-up page keeps an invitation's token in (email and Google sign-up read it). */
export const INVITE_COOKIE = 'rapport_invite';

/**
 * Who may make an account through the web (email and Google alike): RAPPORT_SIGNUP, or, unset,
 * open until the first user (the quickstart's demo aside) exists and closed from then on. The
 * operator can always create accounts with `rapport users create`.
 */
export async function signupMode(db: DbOrTx, env: Env): Promise<SignupMode> {
  if (env.RAPPORT_SIGNUP) return env.RAPPORT_SIGNUP;
  const [users] = await db.select({ n: count() }).from(user).where(ne(user.email, DEMO_EMAIL));
  return (users?.n ?? 0) === 0 ? 'open' : 'closed';
}

export function inviteToken(headers: Headers | undefined): string | null {
  for (const part of (headers?.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === INVITE_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim()) || null;
  }
  return null;
}

/** 403 before a sign-up; 400 while a user is made (better-auth turns a 403 there into a
 * made-up success, which would hide the refusal). */
const refusal = (mode: SignupMode, status: 'FORBIDDEN' | 'BAD_REQUEST' = 'FORBIDDEN') =>
  new APIError(status, {
    code: mode === 'invite' ? 'SIGNUP_INVITE_REQUIRED' : 'SIGNUP_CLOSED',
    message:
      mode === 'invite'
        ? 'Sign-up here is by invitation: ask someone with an account for a link (an invitation is used once)'
        : 'Sign-up is closed on this server: ask its operator for an account',
  });

/**
 * Before an email sign-up is looked at: refused alike for taken and new addresses (the check
 * comes before better-auth's own, so a closed server says nothing of who has an account).
 */
export async function checkSignupRequest(
  db: DbOrTx,
  env: Env,
  o: { email: unknown; headers: Headers | undefined },
) {
  const mode = await signupMode(db, env);
  if (mode === 'open') return;
  const token = inviteToken(o.headers);
  const email = typeof o.email === 'string' ? o.email : '';
  if (mode === 'invite' && token && (await validInvite(db, token, email))) return;
  throw refusal(mode);
}

/**
 * As a user is about to be made by a web request (an email sign-up, or Google's callback for
 * someone new): the server's mode admits them, using their invitation up.
 */
export async function admitNewUser(
  db: DbOrTx,
  env: Env,
  o: { email: string; headers: Headers | undefined },
) {
  const mode = await signupMode(db, env);
  if (mode === 'open') return;
  const token = inviteToken(o.headers);
  if (mode === 'invite' && token && (await consumeInvite(db, token, o.email))) return;
  throw refusal(mode, 'BAD_REQUEST');
}
