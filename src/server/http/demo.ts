import { count, eq } from 'drizzle-orm';
import os from 'node:os';
import type { Auth } from '@/server/auth/auth';
import { loadDemoMailbox } from '@/server/demo/load-demo';
import type { DbHandle } from '@/server/db/client';
import { user } from '@/server/db/schema';

export const DEMO_EMAIL = 'demo@rapport.local';
export const DEMO_PASSWORD = 'rapport-demo';

/**
 * On an empty database the quickstart signs in as a demo user with a generated mailbox
 * (about 2,000 messages and 150 people). An existing demo user is
 * reported again (its password unchanged unless the user changed it).
 */
export async function ensureDemoUser(handle: DbHandle, auth: Auth) {
  const [existing] = await handle.db.select().from(user).where(eq(user.email, DEMO_EMAIL));
  if (existing) return { email: DEMO_EMAIL, password: DEMO_PASSWORD, created: false };
  const [users] = await handle.db.select({ n: count() }).from(user);
  if ((users?.n ?? 0) > 0) return null;
  const { user: created } = await auth.api.signUpEmail({
    body: { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo User' },
  });
  const summary = await loadDemoMailbox(handle.db, {
    userId: created.id,
    owner: { email: DEMO_EMAIL, name: 'Demo User' },
    dir: os.tmpdir(),
  });
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD, created: true, summary };
}
