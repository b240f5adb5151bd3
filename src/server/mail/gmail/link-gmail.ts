import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { RUNTIME_KEY, runtimeSlot } from '@/server/runtime-handle';
import { ensureGmailAccount } from './gmail-account';

/**
 * Called when better-auth links or relinks a Google account: the Gmail mail account follows
 * (marked "needs permission" when the Gmail scope was not granted), and its sync is queued.
 * The address is the user's until the first sync reads Gmail's own profile.
 */
export async function linkGmail(
  db: DbOrTx,
  account: { id: string; userId: string; scope?: string | null },
) {
  const [u] = await db.select({ email: user.email }).from(user).where(eq(user.id, account.userId));
  if (!u) return null;
  const linked = await ensureGmailAccount(db, {
    userId: account.userId,
    authAccountId: account.id,
    address: u.email,
    scope: account.scope ?? null,
  });
  const runtime = runtimeSlot()[RUNTIME_KEY];
  if (runtime && linked.status === 'idle') {
    await (
      await runtime
    ).queue
      .enqueue('mail.sync-gmail', {
        userId: account.userId,
        accountId: linked.id,
        reason: 'connect',
      })
      .catch(() => null); // the schedule picks it up anyway
  }
  return linked;
}
