import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { loadDemoMailbox } from '@/server/demo/load-demo';
import { DEMO_EMAIL, DEMO_PASSWORD, demoPolicy, ensureDemoUser } from '@/server/http/demo';
import { createTestAuth, createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

describe('when there is a demo user, and with which password', () => {
  const policy = (vars: Record<string, string>, host: string) => demoPolicy(parseEnv(vars), host);

  it('is made only for the embedded quickstart, with the published password on loopback only', () => {
    expect(policy({}, '127.0.0.1')).toEqual({ create: true, published: true });
    expect(policy({}, 'localhost')).toEqual({ create: true, published: true });
    // Reachable from the network: a password the README publishes would let anyone in.
    expect(policy({}, '0.0.0.0')).toEqual({ create: true, published: false });
    expect(policy({}, '192.0.2.2')).toEqual({ create: true, published: false });
    // Loopback behind a reverse proxy that makes it public is not local either.
    expect(policy({ BETTER_AUTH_URL: 'https://crm.example.com' }, '127.0.0.1')).toEqual({
      create: true,
      published: false,
    });
    // Never on a PostgreSQL deployment unless asked for, and then never the published password.
    const pg = { DATABASE_URL: 'postgres://db/rapport' };
    expect(policy(pg, '127.0.0.1').create).toBe(false);
    expect(policy({ ...pg, RAPPORT_DEMO: '1' }, '0.0.0.0')).toEqual({
      create: true,
      published: false,
    });
    expect(policy({ RAPPORT_DEMO: '0' }, '127.0.0.1').create).toBe(false);
  });
});

describeEachDriver('the demo user', (db) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-demo-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const signIn = (password: string) =>
    createTestAuth(db())
      .api.signInEmail({ body: { email: DEMO_EMAIL, password } })
      .then(
        () => true,
        () => false,
      );

  it('writes its generated mailbox where no one else can put a file first', async () => {
    // Someone who can write to the temp directory plants a link where the mailbox used to go.
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(dir, `demo-${process.pid}.mbox`));
    const user = await createTestUser(db(), 'demo-owner');
    const summary = await loadDemoMailbox(db().db, {
      userId: user.id,
      owner: { email: user.email, name: 'Demo User' },
      dir,
    });
    expect(summary.stored).toBeGreaterThan(1000);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    // Nothing of the mailbox is left behind.
    expect(fs.readdirSync(dir).sort()).toEqual([`demo-${process.pid}.mbox`, 'victim.txt']);
  }, 60_000);

  it('gets a random password, shown once, when the server is reachable from elsewhere', async () => {
    await db().query(`DELETE FROM users`); // the demo is made on an empty database only
    const auth = createTestAuth(db());
    const made = await ensureDemoUser(db(), auth, { published: false, mailbox: false });
    expect(made).toMatchObject({ email: DEMO_EMAIL, created: true });
    expect(made!.password).not.toBe(DEMO_PASSWORD);
    expect(made!.password!.length).toBeGreaterThanOrEqual(16);
    expect(await signIn(made!.password!)).toBe(true);
    expect(await signIn(DEMO_PASSWORD)).toBe(false);
    // Next start: the password is not known any more, and is not shown.
    const again = await ensureDemoUser(db(), auth, { published: false, mailbox: false });
    expect(again).toMatchObject({ created: false, password: null });
  });

  it('loses the published password once the server is exposed', async () => {
    const auth = createTestAuth(db());
    await db().query(`DELETE FROM users`);
    const local = await ensureDemoUser(db(), auth, { published: true, mailbox: false });
    expect(local).toMatchObject({ created: true, password: DEMO_PASSWORD });
    expect(await signIn(DEMO_PASSWORD)).toBe(true);
    const exposed = await ensureDemoUser(db(), auth, { published: false, mailbox: false });
    expect(exposed!.password).not.toBe(DEMO_PASSWORD);
    expect(await signIn(DEMO_PASSWORD)).toBe(false);
    expect(await signIn(exposed!.password!)).toBe(true);
  });
});
