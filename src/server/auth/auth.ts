import { betterAuth } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { getEnv, publicUrl, type Env } from '@/env';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-policy';
import { getDb, type Db } from '@/server/db/client';
import * as schema from '@/server/db/schema';
import { emit } from '@/server/events/emit';
import { linkGmail } from '@/server/mail/gmail/link-gmail';
import { resolveAuthSecret } from './auth-secret';
import { recordInvitee } from './invites';
import { forgetSessions } from './session-cache';
import { admitNewUser, checkSignupRequest, inviteToken } from './signup-policy';

export const GMAIL_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/gmail.readonly',
  // Google Contacts for enrichment: the people the user already keeps, and "other contacts".
  'https://www.googleapis.com/auth/contacts.readonly',
  'https://www.googleapis.com/auth/contacts.other.readonly',
];

export type CreateAuthOptions = { db: Db; env: Env; secret: string; baseURL: string };

export function createAuth({ db, env, secret, baseURL }: CreateAuthOptions) {
  const google = env.GOOGLE_CLIENT_ID
    ? [
        genericOAuth({
          config: [
            {
              // Google through configurable endpoints, so the whole flow also runs against a fake.
              providerId: 'google',
              name: 'Google',
              clientId: env.GOOGLE_CLIENT_ID,
              clientSecret: env.GOOGLE_CLIENT_SECRET,
              authorizationUrl: env.GOOGLE_AUTHORIZATION_URL,
              tokenUrl: env.GOOGLE_TOKEN_URL,
              userInfoUrl: env.GOOGLE_USERINFO_URL,
              scopes: GMAIL_SCOPES,
              accessType: 'offline',
              prompt: 'consent',
              pkce: true,
              // Google's userinfo names the account `sub` (OpenID Connect), not `id`.
              accountSubject: ({ profile }) => {
                const p = profile as { sub?: unknown; id?: unknown };
                return String(p.sub ?? p.id ?? '');
              },
            },
          ],
        }),
      ]
    : [];

  return betterAuth({
    appName: 'Rapport',
    baseURL,
    secret,
    trustedOrigins: [baseURL],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        rateLimit: schema.rateLimit,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      // No sign-in on sign-up: better-auth then answers a taken address exactly as a new one
      // (a user that looks made, no session) instead of "already exists"; the form signs in next.
      autoSignIn: false,
    },
    account: {
      encryptOAuthTokens: true,
      accountLinking: { enabled: true, trustedProviders: ['google'] },
    },
    // Sliding: a session ends SESSION_DAYS after its last use (renewed at most daily), so an
    // idle or forgotten one does not stay valid for a month.
    session: { expiresIn: 60 * 60 * 24 * env.SESSION_DAYS, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: env.AUTH_RATE_LIMIT_PER_MINUTE,
      customRules: {
        '/sign-in/email': { window: 60, max: 10 },
        '/sign-up/email': { window: 60, max: 10 },
      },
    },
    advanced: {
      // Explicit: better-auth would skip the origin check under NODE_ENV=test.
      disableOriginCheck: false,
      useSecureCookies: baseURL.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    hooks: {
      // RAPPORT_SIGNUP, checked before better-auth looks the address up (signup-policy.ts).
      // Requests only: the server's own calls (the CLI, the demo) make accounts regardless.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email' || !ctx.request) return;
        const body = ctx.body as { email?: unknown } | undefined;
        await checkSignupRequest(db, env, { email: body?.email, headers: ctx.request.headers });
      }),
    },
    databaseHooks: {
      user: {
        // Email sign-up and Google's callback alike make users here.
        create: {
          before: async (u, ctx) => {
            if (ctx?.request)
              await admitNewUser(db, env, { email: u.email, headers: ctx.request.headers });
          },
          after: async (u, ctx) => {
            const token = inviteToken(ctx?.request?.headers);
            if (token) await recordInvitee(db, token, u.id);
          },
        },
        // A renamed or deleted user is read afresh by this process's next request.
        update: {
          after: async (u: { id: string }): Promise<void> => forgetSessions({ userId: u.id }),
        },
        delete: {
          after: async (u: { id: string }): Promise<void> => forgetSessions({ userId: u.id }),
        },
      },
      session: {
        // Sign-out, revocation, a password change: the session stops working in this process
        // at once (session-cache.ts).
        delete: {
          after: async (session: { token: string }): Promise<void> => forgetSessions(session),
        },
        create: {
          after: async (session, ctx) => {
            const path = ctx?.path ?? '';
            // Sign-up signs no one in: a session comes from a sign-in or Google's callback.
            const method = path.startsWith('/callback') ? 'oauth' : 'email';
            await emit(
              db,
              { type: 'user.signed_in', payload: { method } },
              { userId: session.userId, source: 'auth' },
            );
          },
        },
      },
      account: {
        create: {
          after: async (account) => {
            if (account.providerId === 'credential') return;
            if (account.providerId === 'google') await linkGmail(db, account);
            await emit(
              db,
              {
                type: 'account.linked',
                payload: { providerId: account.providerId, accountId: account.accountId },
              },
              { userId: account.userId, source: 'auth' },
            );
          },
        },
        // A reconnect (new tokens, maybe a new scope) clears "needs reconnection" and syncs.
        update: {
          after: async (account) => {
            if (account.providerId === 'google' && typeof account.scope === 'string')
              await linkGmail(db, account);
          },
        },
      },
    },
    telemetry: { enabled: false },
    logger: { level: env.LOG_LEVEL === 'debug' ? 'debug' : 'error' },
    plugins: [...google],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>;

const GLOBAL_KEY = Symbol.for('rapport.auth');
type Global = { [GLOBAL_KEY]?: Promise<Auth> };

/** The process-wide auth instance, built on first use (it needs the database). */
export function getAuth(): Promise<Auth> {
  const g = globalThis as Global;
  g[GLOBAL_KEY] ??= (async () => {
    const env = getEnv();
    return createAuth({
      db: await getDb(),
      env,
      secret: resolveAuthSecret(env),
      baseURL: publicUrl(env),
    });
  })();
  return g[GLOBAL_KEY];
}

export function googleEnabled(env: Env = getEnv()) {
  return Boolean(env.GOOGLE_CLIENT_ID);
}
