import { symmetricDecrypt } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { account } from '@/server/db/schema';

/**
 * Ends a Google grant for good when the user removes Gmail: the offline (refresh) token is
 * revoked at Google's revocation endpoint, which ends every token of the grant, and better-auth's
 * account row holding it is deleted. The row goes even when Google cannot be reached: Rapport
 * then no longer holds a token, and `revoked: false` says the user may revoke access in their
 * Google account too.
 */
export async function revokeGoogleGrant(
  db: DbOrTx,
  o: { userId: string; authAccountId: string; revokeUrl: string; secret: string },
): Promise<{ revoked: boolean }> {
  const where = and(eq(account.id, o.authAccountId), eq(account.userId, o.userId));
  const [row] = await db.select().from(account).where(where);
  if (!row) return { revoked: false };
  let revoked = false;
  const stored = row.refreshToken ?? row.accessToken;
  const token = stored
    ? await symmetricDecrypt({ key: o.secret, data: stored }).catch(() => null)
    : null;
  if (token) {
    try {
      const res = await fetch(o.revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
        signal: AbortSignal.timeout(10_000),
      });
      // 400 invalid_token: Google holds no such grant any more (revoked already).
      revoked = res.ok || res.status === 400;
    } catch (err) {
      console.error('[gmail] could not revoke the Google grant:', (err as Error).message);
    }
  }
  await db.delete(account).where(where);
  return { revoked };
}
