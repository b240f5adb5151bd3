import crypto from 'node:crypto';
import { verifyPassword } from 'better-auth/crypto';
import { count, eq } from 'drizzle-orm';
import os from 'node:os';
import { publicUrl, type Env } from '@/env';
import type { Auth } from '@/server/auth/auth';
import { passwordHash } from '@/server/auth/reauthenticate';
import { DEMO_EMAIL, DEMO_PASSWORD } from '@/server/demo/demo-account';
import { loadDemoMailbox } from '@/server/demo/load-demo';
import type { DbHandle } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { isLocalUrl, isLoopbackHost } from './loopback';

export { DEMO_EMAIL, DEMO_PASSWORD };

/**
 * Whether this start makes a demo user, and whether it may have the published password. The
 * demo is the embedded quickstart's (on PostgreSQL only with RAPPORT_DEMO=1); the published
 * password only while the server listens on loopback and its public URL is local too (a
 * reverse proxy in front of a loopback server makes it public all the same).
 */
export function demoPolicy(env: Env, host: string) {
  const create = env.RAPPORT_DEMO ? env.RAPPORT_DEMO === '1' : !env.DATABASE_URL;
  return { create, published: create && isLoopbackHost(host) && isLocalUrl(publicUrl(env)) };
}

export type DemoUser = {
  email: string;
  /** The password to print, when it is known: the published one, or a new random one (once). */
  password: string | null;
  created: boolean;
  summary?: Awaited<ReturnType<typeof loadDemoMailbox>>;
};

const randomPassword = () => crypto.randomBytes(18).toString('base64url');

/**
 * On an empty database the quickstart signs in as a demo user with a generated mailbox (about
 * 2,000 messages and 150 people). Not `published`: it gets a random password, printed once; and
 * an existing demo that still has the published password gets a random one (the server became
 * reachable from elsewhere since it was made).
 */
export async function ensureDemoUser(
  handle: DbHandle,
  auth: Auth,
  o: { published: boolean; mailbox?: boolean },
): Promise<DemoUser | null> {
  const [existing] = await handle.db.select().from(user).where(eq(user.email, DEMO_EMAIL));
  if (existing) {
    if (o.published) return { email: DEMO_EMAIL, password: DEMO_PASSWORD, created: false };
    const hash = await passwordHash(handle.db, existing.id);
    if (!hash || !(await verifyPassword({ hash, password: DEMO_PASSWORD })))
      return { email: DEMO_EMAIL, password: null, created: false };
    const password = randomPassword();
    const ctx = await auth.$context;
    await ctx.internalAdapter.updatePassword(existing.id, await ctx.password.hash(password));
    await ctx.internalAdapter.deleteUserSessions(existing.id);
    return { email: DEMO_EMAIL, password, created: false };
  }
  const [users] = await handle.db.select({ n: count() }).from(user);
  if ((users?.n ?? 0) > 0) return null;
  const password = o.published ? DEMO_PASSWORD : randomPassword();
  const { user: created } = await auth.api.signUpEmail({
    body: { email: DEMO_EMAIL, password, name: 'Demo User' },
  });
  const summary =
    o.mailbox === false
      ? undefined
      : await loadDemoMailbox(handle.db, {
          userId: created.id,
          owner: { email: DEMO_EMAIL, name: 'Demo User' },
          dir: os.tmpdir(),
        });
  return { email: DEMO_EMAIL, password, created: true, summary };
}
