import { beforeAll, expect, it } from 'vitest';
import type { Auth } from '@/server/auth/auth';
import { handleAuthRequest } from '@/server/auth/auth-http-handler';
import { createTestAuth, TEST_BASE_URL } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('email and password auth over HTTP', (db) => {
  let auth: Auth;
  beforeAll(() => {
    // Several people sign up here: past the first, that takes an open server.
    auth = createTestAuth(db(), { RAPPORT_SIGNUP: 'open' });
  });

  const send = (
    path: string,
    init: { body?: unknown; cookie?: string; ip?: string; origin?: string } = {},
  ) =>
    handleAuthRequest(
      auth,
      new Request(`${TEST_BASE_URL}/api/auth${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: {
          'content-type': 'application/json',
          origin: init.origin ?? TEST_BASE_URL,
          'x-forwarded-for': init.ip ?? '198.51.100.1',
          ...(init.cookie ? { cookie: init.cookie } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    );
  const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

  it('signs up, reads the session, signs out and signs back in', async () => {
    const account = { email: 'flow@example.com', password: 'a-long-password', name: 'Flow' };
    const signUp = await send('/sign-up/email', { body: account });
    expect(signUp.status).toBe(200);
    // Sign-up signs no one in (an answer that did would tell taken addresses from new ones).
    expect(signUp.headers.get('set-cookie')).toBeNull();
    const first = await send('/sign-in/email', { body: account });
    const cookie = cookieOf(first);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const session = await (await send('/get-session', { cookie })).json();
    expect(session.user.email).toBe('flow@example.com');

    expect((await send('/sign-out', { body: {}, cookie })).status).toBe(200);
    expect(await (await send('/get-session', { cookie })).json()).toBeNull();

    const wrong = await send('/sign-in/email', { body: { ...account, password: 'not-it-at-all' } });
    expect(wrong.status).toBe(401);
    const signIn = await send('/sign-in/email', { body: account });
    expect(signIn.status).toBe(200);
    const again = await (await send('/get-session', { cookie: cookieOf(signIn) })).json();
    expect(again.user.email).toBe('flow@example.com');

    // Each new session is a user.signed_in event.
    const signedIn = await db().query<{ payload: { method: string } }>(
      `SELECT payload FROM events WHERE type = 'user.signed_in' AND user_id = $1 ORDER BY id`,
      [again.user.id],
    );
    expect(signedIn.map((e) => e.payload.method)).toEqual(['email', 'email']);
  });

  it('answers a sign-up the same whether the address is taken or new', async () => {
    const shape = async (res: Response) => {
      const body = (await res.json()) as { token: unknown; user: Record<string, unknown> };
      return {
        status: res.status,
        cookie: res.headers.get('set-cookie'),
        token: body.token,
        keys: Object.keys(body.user).sort(),
        email: body.user.email,
      };
    };
    const taken = await shape(
      await send('/sign-up/email', {
        body: { email: 'flow@example.com', password: 'someone-elses-guess', name: 'Eve' },
      }),
    );
    const fresh = await shape(
      await send('/sign-up/email', {
        body: { email: 'fresh@example.com', password: 'a-fresh-password', name: 'Fresh' },
      }),
    );
    expect(taken).toEqual({ ...fresh, email: 'flow@example.com' });
    // The attempt changed nothing of the account that exists.
    const owner = await send('/sign-in/email', {
      body: { email: 'flow@example.com', password: 'a-long-password' },
    });
    expect(owner.status).toBe(200);
    const eve = await send('/sign-in/email', {
      body: { email: 'flow@example.com', password: 'someone-elses-guess' },
    });
    expect(eve.status).toBe(401);
  });

  it('keeps a session 7 days from its last use, renewed as it is used', async () => {
    const signIn = await send('/sign-in/email', {
      body: { email: 'flow@example.com', password: 'a-long-password' },
    });
    const cookie = cookieOf(signIn);
    const days = (at: string | Date) => (new Date(at).getTime() - Date.now()) / 86_400_000;
    const first = (await (await send('/get-session', { cookie })).json()) as {
      session: { id: string; expiresAt: string };
    };
    expect(days(first.session.expiresAt)).toBeGreaterThan(6.9);
    expect(days(first.session.expiresAt)).toBeLessThan(7.1);
    // Two days later, still in use: it runs another 7 days from now.
    await db().query(
      `UPDATE sessions SET updated_at = now() - interval '2 days', expires_at = now() + interval '5 days' WHERE id = $1`,
      [first.session.id],
    );
    const renewed = (await (await send('/get-session', { cookie })).json()) as {
      session: { expiresAt: string };
    };
    expect(days(renewed.session.expiresAt)).toBeGreaterThan(6.9);
    // Unused past its expiry, it is over.
    await db().query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      first.session.id,
    ]);
    expect(await (await send('/get-session', { cookie })).json()).toBeNull();
  });

  it('wants passwords of 12 characters or more', async () => {
    const short = await send('/sign-up/email', {
      body: { email: 'short@example.com', password: 'eleven-char', name: 'Short' },
    });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
  });

  it('rejects a cross-site request carrying the session cookie', async () => {
    const signIn = await send('/sign-in/email', {
      body: { email: 'flow@example.com', password: 'a-long-password' },
    });
    const res = await send('/sign-out', {
      body: {},
      cookie: cookieOf(signIn),
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
  });

  it('rate-limits sign-in attempts per address, answering 429 with Retry-After', async () => {
    const attempt = (ip: string) =>
      send('/sign-in/email', { body: { email: 'x@example.com', password: 'wrong-password' }, ip });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt('203.0.113.7')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const limited = await attempt('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    // The limit is per client address, not global.
    expect((await attempt('203.0.113.8')).status).toBe(401);
  });
});
