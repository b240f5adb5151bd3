import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { createCaller } from '@/server/api/root';
import { handleAuthRequest } from '@/server/auth/auth-http-handler';
import { runCommand } from '@/server/cli/commands';
import { DEMO_EMAIL } from '@/server/demo/demo-account';
import { startFakeGmail, type FakeGmail } from '../fakes/gmail-server';
import { createTestAuth, TEST_BASE_URL } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('who may sign up (RAPPORT_SIGNUP)', (db) => {
  let fake: FakeGmail;
  beforeAll(async () => {
    fake = await startFakeGmail();
  });
  afterAll(() => fake.close());

  let clients = 0;
  const authFor = (mode?: string) =>
    createTestAuth(db(), { ...fake.googleEnv, ...(mode ? { RAPPORT_SIGNUP: mode } : {}) });
  const signUp = (mode: string | undefined, email: string, invite?: string) =>
    handleAuthRequest(
      authFor(mode),
      new Request(`${TEST_BASE_URL}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: TEST_BASE_URL,
          'x-forwarded-for': `203.0.113.${++clients}`, // past the 10-a-minute sign-up limit
          ...(invite ? { cookie: `rapport_invite=${invite}` } : {}),
        },
        body: JSON.stringify({ email, password: 'a-long-password', name: email.split('@')[0] }),
      }),
    );
  const exists = async (email: string) =>
    (await db().query(`SELECT 1 FROM users WHERE email = $1`, [email])).length > 0;
  /** Google's sign-in for a new person, through the fake: the user it made, if any. */
  async function googleSignUp(mode: string | undefined, email: string, invite?: string) {
    const auth = authFor(mode);
    const start = await auth.handler(
      new Request(`${TEST_BASE_URL}/api/auth/sign-in/social`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: TEST_BASE_URL,
          // A client of its own each time (better-auth allows 3 social sign-ins in 10 s per client).
          'x-forwarded-for': `198.51.100.${++clients}`,
        },
        body: JSON.stringify({
          provider: 'google',
          callbackURL: '/',
          errorCallbackURL: '/sign-in',
        }),
      }),
    );
    const cookies = start.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (invite) cookies.push(`rapport_invite=${invite}`);
    fake.nextConsent(email);
    const started = (await start.json()) as { url: string };
    if (!started.url) throw new Error(`sign-in/social: ${start.status} ${JSON.stringify(started)}`);
    const consent = await fetch(started.url, {
      redirect: 'manual',
    });
    const callback = await auth.handler(
      new Request(consent.headers.get('location')!, { headers: { cookie: cookies.join('; ') } }),
    );
    return { location: callback.headers.get('location') ?? '', made: await exists(email) };
  }

  it('is open for the first user (the demo aside), then closed unless the operator opens it', async () => {
    await db().query(
      `INSERT INTO users (id, name, email) VALUES ('demo-user-id', 'Demo User', $1)`,
      [DEMO_EMAIL],
    );
    expect((await signUp(undefined, 'first@example.com')).status).toBe(200);
    expect(await exists('first@example.com')).toBe(true);
    const second = await signUp(undefined, 'second@example.com');
    expect(second.status).toBe(403);
    const body = await second.json();
    expect(body).toMatchObject({ code: 'SIGNUP_CLOSED' });
    expect(await exists('second@example.com')).toBe(false);
    // A taken address gets the very same answer (closed says nothing of who is here).
    const taken = await signUp(undefined, 'first@example.com');
    expect({ status: taken.status, body: await taken.json() }).toEqual({ status: 403, body });
    // Google sign-up is closed too; an existing account still signs in with Google.
    const google = await googleSignUp(undefined, 'gail@gmail.test');
    expect(google.made).toBe(false);
    expect(google.location).toMatch(/\/sign-in\?error=signup_closed/i);
    // Open when the operator says so.
    expect((await signUp('open', 'third@example.com')).status).toBe(200);
    expect((await googleSignUp('open', 'gus@gmail.test')).made).toBe(true);
    const back = await googleSignUp(undefined, 'gus@gmail.test');
    expect(back.location).not.toMatch(/error/);
    // The operator may always create accounts from the command line.
    await runCommand({ handle: db(), auth: authFor('closed') }, 'users.create', {
      email: 'by-cli@example.com',
      password: 'a-long-password',
      name: 'By CLI',
    });
    expect(await exists('by-cli@example.com')).toBe(true);
  });

  it('takes an invitation a user made, once, for the address it names', async () => {
    const env = parseEnv({ NODE_ENV: 'test', RAPPORT_SIGNUP: 'invite' });
    const [inviter] = await db().query<{ id: string; email: string; name: string }>(
      `SELECT id, email, name FROM users WHERE email = 'first@example.com'`,
    );
    const caller = createCaller(testContext({ db: db().db, user: inviter!, env }));
    expect((await signUp('invite', 'uninvited@example.com')).status).toBe(403);

    const open = await caller.invites.create({});
    expect(open.url).toMatch(/\/sign-up\?invite=[\w-]{40,}$/);
    const token = new URL(open.url).searchParams.get('invite')!;
    expect((await signUp('invite', 'invited@example.com', 'not-a-real-invitation')).status).toBe(
      403,
    );
    expect((await signUp('invite', 'invited@example.com', token)).status).toBe(200);
    expect(await exists('invited@example.com')).toBe(true);
    // Used: it admits no one else.
    expect((await signUp('invite', 'tagalong@example.com', token)).status).toBe(403);
    expect(await exists('tagalong@example.com')).toBe(false);

    // One for a given address admits that address only, by email or through Google.
    const forHana = new URL(
      (await caller.invites.create({ email: 'hana@gmail.test' })).url,
    ).searchParams.get('invite')!;
    expect((await signUp('invite', 'someone-else@example.com', forHana)).status).toBe(403);
    expect((await googleSignUp('invite', 'hana@gmail.test', forHana)).made).toBe(true);

    // Listed while pending; withdrawn, it admits no one.
    const later = await caller.invites.create({ email: 'later@example.com' });
    const pending = await caller.invites.list();
    expect(pending.map((i) => i.email)).toEqual(['later@example.com']);
    await caller.invites.revoke({ id: pending[0]!.id });
    const laterToken = new URL(later.url).searchParams.get('invite')!;
    expect((await signUp('invite', 'later@example.com', laterToken)).status).toBe(403);

    // The CLI makes them too, on a user's behalf.
    const byCli = (await runCommand({ handle: db(), auth: authFor('invite') }, 'users.invite', {
      user: 'first@example.com',
      email: 'cli-invitee@example.com',
    })) as { url: string };
    const cliToken = new URL(byCli.url).searchParams.get('invite')!;
    expect((await signUp('invite', 'cli-invitee@example.com', cliToken)).status).toBe(200);

    // Invitations are only for servers that take them.
    const closed = createCaller(
      testContext({
        db: db().db,
        user: inviter!,
        env: parseEnv({ NODE_ENV: 'test', RAPPORT_SIGNUP: 'closed' }),
      }),
    );
    await expect(closed.invites.create({})).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
