import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { account as accountTable } from '@/server/db/schema';
import type { TokenSource } from './gmail-client';
import { GmailError } from './gmail-errors';

export const GMAIL_READONLY_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';

/** Whether a granted scope list lets Rapport read Gmail (users can untick it on the consent screen). */
export function hasGmailScope(scope: string | null | undefined) {
  const scopes = (scope ?? '').split(/[\s,]+/);
  return scopes.includes(GMAIL_READONLY_SCOPE) || scopes.includes('https://mail.google.com/');
}

export type GoogleOAuthConfig = {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** better-auth's secret: OAuth tokens are stored encrypted with it. */
  secret: string;
};

/**
 * Access tokens for a Google account better-auth linked (tokens encrypted at rest): decrypted
 * on use, refreshed at Google's token endpoint when expired or rejected, and stored back
 * encrypted. A refused refresh (revoked or expired grant) is an `auth` failure: the account
 * needs reconnecting, and nothing retries it.
 */
export function accountTokenSource(
  db: DbOrTx,
  authAccountId: string,
  config: GoogleOAuthConfig,
): TokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  const load = async () => {
    const [row] = await db.select().from(accountTable).where(eq(accountTable.id, authAccountId));
    if (!row) throw new GmailError('The Google account link is gone: connect Gmail again', 'auth');
    if (!hasGmailScope(row.scope))
      throw new GmailError('The Google grant does not include Gmail read access', 'permission');
    return row;
  };
  // Fails closed: a value that does not decrypt (another secret, a row written by hand) is
  // never sent to Google as if it were the token.
  const decrypt = async (v: string | null) =>
    v
      ? symmetricDecrypt({ key: config.secret, data: v }).catch(() => {
          throw new GmailError(
            'The stored Google tokens could not be decrypted (was BETTER_AUTH_SECRET changed?): reconnect Gmail',
            'auth',
          );
        })
      : null;

  async function doRefresh(): Promise<string> {
    const row = await load();
    const refreshToken = await decrypt(row.refreshToken);
    if (!refreshToken)
      throw new GmailError(
        'Google gave no refresh token (offline access): connect Gmail again',
        'auth',
      );
    let res: Response;
    try {
      res = await fetch(config.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: config.clientId,
          client_secret: config.clientSecret,
        }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new GmailError(
        `Google's token endpoint could not be reached: ${(err as Error).message}`,
        'temporary',
      );
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      refresh_token?: string;
      scope?: string;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      if (res.status >= 500 || res.status === 429)
        throw new GmailError(
          `Google's token endpoint answered ${res.status}`,
          'temporary',
          res.status,
        );
      throw new GmailError(
        `Google refused to refresh access (${body.error ?? res.status}${body.error_description ? `: ${body.error_description}` : ''}): reconnect Gmail`,
        'auth',
        res.status,
      );
    }
    const expiresAt = Date.now() + (body.expires_in ?? 3600) * 1000;
    await db
      .update(accountTable)
      .set({
        accessToken: await symmetricEncrypt({ key: config.secret, data: body.access_token }),
        accessTokenExpiresAt: new Date(expiresAt),
        ...(body.refresh_token
          ? {
              refreshToken: await symmetricEncrypt({
                key: config.secret,
                data: body.refresh_token,
              }),
            }
          : {}),
        ...(body.scope ? { scope: body.scope } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(accountTable.id, authAccountId)));
    cached = { token: body.access_token, expiresAt };
    return body.access_token;
  }

  const refresh = () => {
    refreshing ??= doRefresh().finally(() => (refreshing = null));
    return refreshing;
  };

  return {
    async accessToken() {
      if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
      if (refreshing) return refreshing;
      const row = await load();
      const token = await decrypt(row.accessToken);
      const expiresAt = row.accessTokenExpiresAt?.getTime() ?? 0;
      if (token && expiresAt - 60_000 > Date.now()) {
        cached = { token, expiresAt };
        return token;
      }
      return refresh();
    },
    refresh: () => {
      cached = null;
      return refresh();
    },
  };
}
