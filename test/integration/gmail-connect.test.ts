import { symmetricDecrypt } from 'better-auth/crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { createCaller } from '@/server/api/root';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { syncMailAccount } from '@/server/mail/sync-account';
import { EnrichmentPipeline } from '@/server/enrichment/pipeline';
import { googleContactsProvider } from '@/server/enrichment/providers/google-contacts';
import { message } from '../fixtures/mbox-builder';
import { startFakeGmail, type FakeGmail } from '../fakes/gmail-server';
import { createTestAuth, TEST_BASE_URL } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

const SECRET = 'test-secret-test-secret-test-secret-0123';

describeEachDriver('connecting Gmail through Google sign-in', (db) => {
  let fake: FakeGmail;
  beforeAll(async () => {
    fake = await startFakeGmail();
  });
  afterAll(() => fake.close());

  /** The whole browser dance: start, Google's consent (the fake), callback. */
  async function signInWithGoogle() {
    // Several people sign up with Google here: past the first, that takes an open server.
    const auth = createTestAuth(db(), { ...fake.googleEnv, RAPPORT_SIGNUP: 'open' });
    const start = await auth.handler(
      new Request(`${TEST_BASE_URL}/api/auth/sign-in/social`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: TEST_BASE_URL },
        body: JSON.stringify({ provider: 'google', callbackURL: '/' }),
      }),
    );
    expect(start.status).toBe(200);
    const { url } = (await start.json()) as { url: string };
    expect(url.startsWith(`${fake.url}/o/oauth2/v2/auth`)).toBe(true);
    expect(new URL(url).searchParams.get('access_type')).toBe('offline');
    expect(new URL(url).searchParams.get('scope')).toContain('gmail.readonly');
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = await auth.handler(
      new Request(consent.headers.get('location')!, { headers: { cookie } }),
    );
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).not.toMatch(/error/);
  }

  const accountOf = async (address: string) => {
    const [row] = await db().query<{
      id: string;
      user_id: string;
      sync_status: string;
      auth_account_id: string | null;
    }>(
      `SELECT id, user_id, sync_status, auth_account_id FROM mail_accounts WHERE provider = 'gmail' AND address = $1`,
      [address],
    );
    return row;
  };

  it('creates the Gmail account with encrypted tokens that sync can use', async () => {
    fake.nextConsent('gus@gmail.test', { name: 'Gus Grant' });
    await signInWithGoogle();
    const row = await accountOf('gus@gmail.test');
    expect(row).toMatchObject({ sync_status: 'idle', auth_account_id: expect.any(String) });
    // Tokens are stored encrypted, not as Google issued them.
    const [tokens] = await db().query<{ access_token: string; refresh_token: string }>(
      `SELECT access_token, refresh_token FROM accounts WHERE id = $1`,
      [row!.auth_account_id],
    );
    expect(tokens!.access_token).not.toMatch(/^ya29\./);
    expect(tokens!.refresh_token).not.toMatch(/^1\/\//);

    fake.addMessages('gus@gmail.test', [
      {
        raw: message({
          from: 'Ida <ida@x.test>',
          to: 'gus@gmail.test',
          subject: 'Hello',
          date: 'Mon, 5 Jan 2026 10:00:00 +0000',
        }),
      },
    ]);
    const env = parseEnv({
      NODE_ENV: 'test',
      BETTER_AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
      ...fake.googleEnv,
      GMAIL_API_URL: fake.url,
    });
    const account = await findMailAccount(db().db, row!.user_id, row!.id);
    // The access token expired: the sync refreshes it through Google's token endpoint.
    fake.expireAccessTokens('gus@gmail.test');
    const r = await syncMailAccount({
      db: db().db,
      userId: row!.user_id,
      accountId: row!.id,
      provider: gmailProviderFor(db().db, account, { env }).provider,
    });
    expect(r.stored).toBe(1);

    // Google Contacts, with the same grant: what the user keeps about Ida fills her profile.
    fake.setContacts('gus@gmail.test', {
      connections: [
        {
          resourceName: 'people/c1',
          names: [{ displayName: 'Ida Moreno' }],
          emailAddresses: [{ value: 'ida@x.test' }],
          phoneNumbers: [{ value: '(212) 555-0188', canonicalForm: '+12125550188', type: 'work' }],
          organizations: [{ name: 'Xylo Labs', title: 'CTO' }],
          urls: [{ value: 'https://www.linkedin.com/in/idamoreno' }],
        },
      ],
    });
    const [ida] = await db().query<{ id: string }>(
      `SELECT id FROM contacts WHERE email = 'ida@x.test'`,
    );
    const pipeline = new EnrichmentPipeline([
      googleContactsProvider({
        baseUrl: fake.url,
        oauth: {
          tokenUrl: env.GOOGLE_TOKEN_URL,
          clientId: fake.clientId,
          clientSecret: fake.clientSecret,
          secret: 'test-secret-test-secret-test-secret-0123',
        },
      }),
    ]);
    const e = await pipeline.enrichContact(db().db, row!.user_id, ida!.id);
    expect(e.sources).toEqual([{ source: 'google-contacts', status: 'ok' }]);
    const [c] = await db().query<Record<string, unknown>>(
      `SELECT name, company, title, phones, links FROM contacts WHERE id = $1`,
      [ida!.id],
    );
    expect(c).toMatchObject({
      company: 'Xylo Labs',
      title: 'CTO',
      phones: [{ number: '+12125550188', type: 'office' }],
      links: { linkedin: 'https://www.linkedin.com/in/idamoreno' },
    });
  });

  it('revokes the grant at Google and deletes the stored tokens when Gmail is removed', async () => {
    fake.nextConsent('ray@gmail.test', { name: 'Ray Voke' });
    await signInWithGoogle();
    const row = (await accountOf('ray@gmail.test'))!;
    const [stored] = await db().query<{ refresh_token: string }>(
      `SELECT refresh_token FROM accounts WHERE id = $1`,
      [row.auth_account_id],
    );
    const refreshToken = await symmetricDecrypt({ key: SECRET, data: stored!.refresh_token });
    const refresh = () =>
      fetch(fake.googleEnv.GOOGLE_TOKEN_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: fake.clientId,
          client_secret: fake.clientSecret,
        }),
      });
    expect((await refresh()).status).toBe(200); // the grant works until then

    const env = parseEnv({ NODE_ENV: 'test', BETTER_AUTH_SECRET: SECRET, ...fake.googleEnv });
    const user = { id: row.user_id, email: 'ray@gmail.test', name: 'Ray Voke' };
    const caller = createCaller(testContext({ db: db().db, user, env }));
    expect(await caller.mailAccounts.remove({ accountId: row.id })).toMatchObject({
      removed: true,
      revoked: true,
    });
    // Google no longer honours the offline token, and Rapport no longer holds it.
    const after = await refresh();
    expect(after.status).toBe(400);
    expect(await after.json()).toMatchObject({ error: 'invalid_grant' });
    expect(
      await db().query(`SELECT id FROM accounts WHERE id = $1`, [row.auth_account_id]),
    ).toEqual([]);
    expect(await accountOf('ray@gmail.test')).toBeUndefined();
  });

  it('marks a grant without Gmail access "needs permission"', async () => {
    fake.nextConsent('hal@gmail.test', { scopes: ['openid', 'email', 'profile'] });
    await signInWithGoogle();
    expect(await accountOf('hal@gmail.test')).toMatchObject({ sync_status: 'needs_permission' });
  });
});
