import crypto from 'node:crypto';
import { symmetricEncrypt } from 'better-auth/crypto';
import { beforeAll, expect, it } from 'vitest';
import { account } from '@/server/db/schema';
import { accountTokenSource } from '@/server/mail/gmail/google-tokens';
import { GMAIL_READONLY } from '../fakes/gmail-server';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const SECRET = 'the-deployment-secret-the-deployment-secret';

describeEachDriver('stored Google tokens', (db) => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createTestUser(db())).id;
  });

  /** An account row whose access token is still valid, stored as given. */
  async function linkWith(accessToken: string, refreshToken: string) {
    const id = crypto.randomUUID();
    await db()
      .db.insert(account)
      .values({
        id,
        accountId: `google-${id}`,
        providerId: 'google',
        userId,
        accessToken,
        refreshToken,
        accessTokenExpiresAt: new Date(Date.now() + 3600_000),
        scope: `openid email ${GMAIL_READONLY}`,
      });
    return accountTokenSource(db().db, id, {
      tokenUrl: 'http://127.0.0.1:9/token',
      clientId: 'client',
      clientSecret: 'client-secret',
      secret: SECRET,
    });
  }

  it('decrypts what was encrypted with the deployment’s secret', async () => {
    const tokens = await linkWith(
      await symmetricEncrypt({ key: SECRET, data: 'ya29.good' }),
      await symmetricEncrypt({ key: SECRET, data: '1//refresh' }),
    );
    expect(await tokens.accessToken()).toBe('ya29.good');
  });

  it('fails closed: a token it cannot decrypt is never used as it is stored', async () => {
    // Stored in the clear (a hand-made or tampered row), and under another secret.
    const plain = await linkWith('ya29.stored-in-the-clear', '1//refresh-in-the-clear');
    await expect(plain.accessToken()).rejects.toMatchObject({ kind: 'auth' });
    const other = await linkWith(
      await symmetricEncrypt({ key: 'another-secret-another-secret-another', data: 'ya29.x' }),
      await symmetricEncrypt({ key: 'another-secret-another-secret-another', data: '1//x' }),
    );
    await expect(other.accessToken()).rejects.toThrow(/could not be decrypted.*reconnect/i);
  });
});
