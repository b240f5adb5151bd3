import crypto from 'node:crypto';
import { symmetricEncrypt } from 'better-auth/crypto';
import type { Db } from '@/server/db/client';
import { account as accountTable } from '@/server/db/schema';
import { ensureGmailAccount } from '@/server/mail/gmail/gmail-account';
import { GMAIL_READONLY, type FakeGmail } from '../fakes/gmail-server';

/**
 * What connecting Google leaves behind, without the browser: the fake Google's grant, better-auth's
 * account row with the tokens encrypted under `secret`, and the Gmail mail account.
 */
export async function linkFakeGoogle(
  db: Db,
  fake: FakeGmail,
  o: { userId: string; address: string; secret: string; scopes?: string[]; aliases?: string[] },
) {
  const scopes = o.scopes ?? ['openid', 'email', GMAIL_READONLY];
  const t = fake.addUser(o.address, { scopes, aliases: o.aliases });
  const authAccountId = crypto.randomUUID();
  await db.insert(accountTable).values({
    id: authAccountId,
    accountId: `google-${o.address}`,
    providerId: 'google',
    userId: o.userId,
    accessToken: await symmetricEncrypt({ key: o.secret, data: t.accessToken }),
    refreshToken: await symmetricEncrypt({ key: o.secret, data: t.refreshToken }),
    accessTokenExpiresAt: new Date(Date.now() + t.expiresIn * 1000),
    scope: scopes.join(' '),
  });
  const { id } = await ensureGmailAccount(db, {
    userId: o.userId,
    authAccountId,
    address: o.address,
    scope: scopes.join(' '),
  });
  return { accountId: id, authAccountId };
}
