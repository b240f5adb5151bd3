import { beforeAll, expect, it } from 'vitest';
import type { Auth } from '@/server/auth/auth';
import { handleAuthRequest } from '@/server/auth/auth-http-handler';
import { getRequestSession } from '@/server/auth/session-cache';
import { createTestAuth, TEST_BASE_URL } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('the per-process session cache', (db) => {
  let auth: Auth;
  beforeAll(() => {
    auth = createTestAuth(db(), { RAPPORT_SIGNUP: 'open' });
  });
  const send = (path: string, body: unknown, cookie?: string) =>
    handleAuthRequest(
      auth,
      new Request(`${TEST_BASE_URL}/api/auth${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: TEST_BASE_URL,
          'x-forwarded-for': '198.51.100.7',
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      }),
    );
  const signUp = async (name: string) => {
    const account = { email: `${name}@example.com`, password: 'a-long-password', name };
    expect((await send('/sign-up/email', account)).status).toBe(200);
    // Sign-up signs no one in: the sign-in after it does.
    const res = await send('/sign-in/email', account);
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const sessionOf = (cookie: string, cacheSeconds = 60) =>
    getRequestSession(new Headers({ cookie }), { auth, cacheSeconds });
  const sessionRows = async (email: string) =>
    (
      await db().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
        [email],
      )
    )[0]!.n;

  it('answers a checked session from memory until it is signed out', async () => {
    const cookie = await signUp('cached');
    expect((await sessionOf(cookie))?.user.email).toBe('cached@example.com');
    // Gone from the database behind better-auth's back: still remembered (it was not asked)…
    await db().query(
      `UPDATE sessions SET token = token || '-moved' WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['cached@example.com'],
    );
    expect((await sessionOf(cookie))?.user.email).toBe('cached@example.com');
    // …but not without the cache, nor with a cookie whose signature is not the one checked.
    expect(await sessionOf(cookie, 0)).toBeNull();
    const forged = cookie.replace(/\.[^.]+$/, '.forged-signature');
    expect(await sessionOf(forged)).toBeNull();
    await db().query(
      `UPDATE sessions SET token = replace(token, '-moved', '') WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['cached@example.com'],
    );

    // Signing out through better-auth forgets it at once.
    expect((await send('/sign-out', {}, cookie)).status).toBe(200);
    expect(await sessionRows('cached@example.com')).toBe(0);
    expect(await sessionOf(cookie)).toBeNull();
  });

  it('forgets a session revoked from another one', async () => {
    const first = await signUp('revoked');
    const second = await send('/sign-in/email', {
      email: 'revoked@example.com',
      password: 'a-long-password',
    });
    const other = second.headers.get('set-cookie')!.split(';')[0]!;
    expect((await sessionOf(first))?.user.email).toBe('revoked@example.com');
    expect((await send('/revoke-other-sessions', {}, other)).status).toBe(200);
    expect(await sessionOf(first)).toBeNull();
    expect((await sessionOf(other))?.user.email).toBe('revoked@example.com');
  });

  it('reads a renamed user afresh', async () => {
    const cookie = await signUp('renamed');
    expect((await sessionOf(cookie))?.user.name).toBe('renamed');
    expect((await send('/update-user', { name: 'Renamed Person' }, cookie)).status).toBe(200);
    expect((await sessionOf(cookie))?.user.name).toBe('Renamed Person');
  });

  it('shares one lookup among the requests of a session that arrive together', async () => {
    const cookie = await signUp('together');
    const sessions = await Promise.all(Array.from({ length: 20 }, () => sessionOf(cookie)));
    expect(new Set(sessions).size).toBe(1);
    expect(sessions[0]?.user.email).toBe('together@example.com');
  });

  it('keys on the cookie better-auth reads, not on a look-alike planted beside it', async () => {
    const cookie = await signUp('planted');
    // A cookie planted under the other prefix (say from a sibling subdomain) rides along.
    const victim = `__Secure-better-auth.session_token=planted-value; ${cookie}`;
    expect((await sessionOf(victim))?.user.email).toBe('planted@example.com');
    // Sending only the planted value must not reach the victim's session.
    expect(await sessionOf('__Secure-better-auth.session_token=planted-value')).toBeNull();
    expect(await sessionOf('better-auth.session_token=planted-value')).toBeNull();
  });
});
