import { sql } from 'drizzle-orm';
import { getEnv, type Env } from '@/env';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { mailAccounts } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { GmailClient, type GmailMethod } from './gmail-client';
import { GmailProvider, type GmailCategory } from './gmail-provider';
import { accountTokenSource, hasGmailScope } from './google-tokens';
import { governorFor } from './quota-governor';

type MailAccountRow = typeof mailAccounts.$inferSelect;

/**
 * The Gmail mail account for a linked Google account: created on first link (its state says
 * when the grant lacks the Gmail scope), relinked when the user reconnects.
 */
export async function ensureGmailAccount(
  db: DbOrTx,
  o: { userId: string; authAccountId: string; address: string; scope: string | null },
) {
  const status = hasGmailScope(o.scope) ? 'idle' : 'needs_permission';
  const reason =
    status === 'needs_permission'
      ? 'Google did not grant Gmail read access: connect again and leave "Read your email" ticked'
      : null;
  const [row] = rowsOf<{ id: string }>(
    await db.execute(sql`
      INSERT INTO mail_accounts (user_id, provider, address, auth_account_id, sync_status, last_error)
      VALUES (${o.userId}, 'gmail', ${o.address.toLowerCase()}, ${o.authAccountId}, ${status}, ${reason})
      ON CONFLICT (user_id, provider, lower(address)) DO UPDATE
        SET auth_account_id = EXCLUDED.auth_account_id, sync_status = EXCLUDED.sync_status,
            last_error = EXCLUDED.last_error, failure_count = 0, updated_at = now()
      RETURNING id`),
  );
  return { id: row!.id, status };
}

export type GmailProviderOptions = {
  env?: Env;
  exclude?: GmailCategory[];
  concurrency?: number;
  onResponse?: (method: GmailMethod, status: number) => void;
};

/** A MailProvider for one Gmail mail account, with its tokens, quota governor and settings. */
export function gmailProviderFor(
  db: DbOrTx,
  account: MailAccountRow,
  o: GmailProviderOptions = {},
) {
  const env = o.env ?? getEnv();
  if (account.provider !== 'gmail') throw new AppError('INVALID_INPUT', 'Not a Gmail account');
  if (!account.authAccountId)
    throw new AppError(
      'INVALID_INPUT',
      'This Gmail account is not linked to Google: connect it again',
    );
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET)
    throw new AppError(
      'INVALID_INPUT',
      'Google is not configured (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)',
    );
  const client = new GmailClient({
    baseUrl: env.GMAIL_API_URL,
    tokens: accountTokenSource(db, account.authAccountId, {
      tokenUrl: env.GOOGLE_TOKEN_URL,
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      secret: resolveAuthSecret(env),
    }),
    governor: governorFor(account.address.toLowerCase()),
    onResponse: o.onResponse,
  });
  return {
    client,
    provider: new GmailProvider(client, {
      exclude: o.exclude ?? env.GMAIL_EXCLUDE_CATEGORIES,
      concurrency: o.concurrency,
    }),
  };
}
