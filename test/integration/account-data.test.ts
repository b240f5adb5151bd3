import { beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { ask } from '@/server/assistant/assistant';
import { contactsCsv, contactsVcf } from '@/server/contacts/export-contacts';
import type { JobQueue } from '@/server/jobs/job-queue';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('the user’s data: rules, exports and deletion', (db) => {
  let alice: SessionUser;
  let bob: SessionUser;
  const queued: { name: string; data: unknown }[] = [];
  const queue = {
    enqueue: async (name: string, data: unknown) => {
      queued.push({ name, data });
      return 'job-id';
    },
  } as unknown as JobQueue;
  const caller = (u: SessionUser) => createCaller(testContext({ db: db().db, user: u, queue }));

  beforeAll(async () => {
    alice = await createTestUser(db());
    bob = await createTestUser(db());
    await importNetworkMailbox(db(), alice.id);
    await importNetworkMailbox(db(), bob.id);
  });

  it('exports contacts as CSV and vCard, the user’s own only, spreadsheet formulas defused', async () => {
    await caller(alice).contacts.update({
      id: (await ask(db().db, alice.id, 'Tell me about Keith Holst', {}, { engine: 'builtin' }))
        .contacts[0]!.id,
      patch: { notes: '=HYPERLINK("http://evil")', tags: ['energy', 'vip'] },
    });
    const csv = await contactsCsv(db().db, alice.id);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^name,email,other_emails,company,title,phones/);
    const keith = lines.find((l) => l.includes('keith.holst@holst.example'))!;
    expect(keith).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(keith).toContain('energy; vip');
    expect(lines.some((l) => l.includes('news@mailer.example'))).toBe(true); // robots too, marked
    const vcf = await contactsVcf(db().db, alice.id);
    expect(vcf).toContain('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Keith Holst\r\nN:Holst;Keith;;;');
    expect(vcf).toContain('EMAIL;TYPE=INTERNET,PREF:keith.holst@holst.example');
    expect(vcf).toContain('CATEGORIES:energy,vip');
    expect(vcf).not.toContain('news@mailer.example'); // people only
    expect((vcf.match(/BEGIN:VCARD/g) ?? []).length).toBe((vcf.match(/END:VCARD/g) ?? []).length);
    // Bob's export has no trace of Alice's edit.
    expect(await contactsCsv(db().db, bob.id)).not.toContain('HYPERLINK');
  });

  it('blocks and allows senders by address or domain, for existing contacts too', async () => {
    const r = await caller(alice).senderRules.set({ pattern: '@Globex.com', action: 'block' });
    expect(r.contactsChanged).toBe(2);
    const who = await ask(
      db().db,
      alice.id,
      'Who at Globex have I emailed?',
      {},
      { engine: 'builtin' },
    );
    expect(who.contacts).toEqual([]);
    // Bob's contacts are untouched.
    const bobs = await ask(
      db().db,
      bob.id,
      'Who at Globex have I emailed?',
      {},
      { engine: 'builtin' },
    );
    expect(bobs.contacts).toHaveLength(2);
    await caller(alice).senderRules.set({ pattern: 'news@mailer.example', action: 'allow' });
    const rules = await caller(alice).senderRules.list();
    expect(rules.map((x) => [x.pattern, x.action])).toEqual([
      ['news@mailer.example', 'allow'],
      ['@globex.com', 'block'],
    ]);
    await expect(
      caller(alice).senderRules.set({ pattern: 'not a pattern', action: 'block' }),
    ).rejects.toThrow(/domain/);
    // An over-long rule is refused at once (it used to hold the event loop for seconds).
    const started = performance.now();
    await expect(
      caller(alice).senderRules.set({ pattern: `a@${'.'.repeat(80_000)}@`, action: 'block' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(caller(bob).senderRules.remove({ id: rules[0]!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await caller(alice).senderRules.remove({ id: rules[1]!.id });
    expect(queued.at(-1)).toEqual({ name: 'contact.reextract', data: { userId: alice.id } });
  });

  it('filters the contact list, tags and hides in bulk, the user’s own contacts only', async () => {
    const all = await caller(alice).contacts.list({ humansOnly: true });
    const byEmail = new Map(all.rows.map((r) => [r.email, r.id]));
    expect(
      (await caller(alice).contacts.list({ company: 'holst' })).rows.map((r) => r.email),
    ).toEqual(['keith.holst@holst.example']);
    expect((await caller(alice).contacts.list({ tag: 'vip' })).rows.map((r) => r.email)).toEqual([
      'keith.holst@holst.example',
    ]);
    const strong = await caller(alice).contacts.list({ minStrength: 1 });
    expect(strong.rows.every((r) => (r.strengthScore ?? 0) >= 1)).toBe(true);
    const before = await caller(alice).contacts.list({
      humansOnly: false,
      lastBefore: new Date('2025-03-08T00:00:00Z'),
    });
    expect(before.rows.map((r) => r.email).sort()).toEqual([
      'bob.stone@globex.com',
      'news@mailer.example',
    ]);
    expect(before.rows.every((r) => r.lastInteractionAt! < new Date('2025-03-08T00:00:00Z'))).toBe(
      true,
    );

    const ids = [
      byEmail.get('carla@initech.io')!,
      byEmail.get('bob.stone@globex.com') ?? byEmail.get('carla@initech.io')!,
    ];
    expect(await caller(alice).contacts.bulkTag({ ids, tag: 'q2', action: 'add' })).toEqual({
      updated: new Set(ids).size,
    });
    expect((await caller(alice).contacts.list({ tag: 'q2' })).total).toBe(new Set(ids).size);
    // Another user's ids change nothing.
    expect(await caller(bob).contacts.bulkTag({ ids, tag: 'pwned', action: 'add' })).toEqual({
      updated: 0,
    });
    expect(await caller(bob).contacts.setHidden({ ids, hidden: true })).toEqual({ updated: 0 });
    await caller(alice).contacts.bulkTag({ ids, tag: 'q2', action: 'remove' });
    expect((await caller(alice).contacts.list({ tag: 'q2' })).total).toBe(0);
    await caller(alice).contacts.setHidden({ ids: [ids[0]!], hidden: true });
    expect((await caller(alice).contacts.list({})).rows.map((r) => r.id)).not.toContain(ids[0]);
  });

  it('shows replies owed and recent activity on the dashboard, from the user’s own mail', async () => {
    const owed = await caller(bob).dashboard.repliesOwed();
    expect(owed.map((r) => r.email)).toEqual(['carla@initech.io']);
    const recent = await caller(bob).dashboard.recent();
    expect(recent[0]).toMatchObject({
      email: 'carla@initech.io',
      subject: 'Re: Pipeline budget',
      direction: 'inbound',
    });
    expect(recent.map((r) => r.email)).not.toContain('news@mailer.example');
    const bobs = new Set(
      (await caller(bob).contacts.list({ humansOnly: false, limit: 500 })).rows.map((r) => r.id),
    );
    expect(recent.every((r) => bobs.has(r.contactId))).toBe(true);
    // Alice hid Carla: she is gone from Alice's dashboard, and none of Bob's rows show there.
    expect((await caller(alice).dashboard.repliesOwed()).map((r) => r.email)).toEqual([]);
    expect((await caller(alice).dashboard.recent()).some((r) => bobs.has(r.contactId))).toBe(false);
  });

  it('deletes an account and everything of it, and nothing of anyone else', async () => {
    const tables = [
      'contacts',
      // No key of their own to users: their contact's cascade removes them.
      'contact_emails',
      'emails',
      'interactions',
      'thread_participants',
      'contact_stats',
      'events',
      'mail_accounts',
      'sessions',
      'accounts',
    ];
    const count = async (userId: string) => {
      const out: Record<string, number> = {};
      for (const t of tables)
        out[t] = (
          await db().query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${t} WHERE user_id = $1`,
            [userId],
          )
        )[0]!.n;
      return out;
    };
    const bobBefore = await count(bob.id);
    const confirmEmail = alice.email.toUpperCase();
    await expect(
      caller(alice).me.deleteAccount({ confirmEmail: 'wrong@example.com' }),
    ).rejects.toThrow(/confirm/);
    // A session alone (a borrowed laptop, a stolen cookie) cannot delete the account: the
    // password must come with it.
    await expect(caller(alice).me.deleteAccount({ confirmEmail })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(
      caller(alice).me.deleteAccount({ confirmEmail, password: 'not-her-password' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await count(alice.id)).emails).toBeGreaterThan(0);
    await caller(alice).me.deleteAccount({ confirmEmail, password: 'correct-horse-battery' });
    expect(Object.values(await count(alice.id)).every((n) => n === 0)).toBe(true);
    expect((await db().query(`SELECT 1 FROM users WHERE id = $1`, [alice.id])).length).toBe(0);
    expect(await count(bob.id)).toEqual(bobBefore);
  });

  it('asks a user without a password (Google sign-in) to have signed in just now', async () => {
    const carol = await createTestUser(db());
    await db().query(`DELETE FROM accounts WHERE user_id = $1`, [carol.id]); // Google only, say
    const as = (sessionCreatedAt?: Date) =>
      createCaller(testContext({ db: db().db, user: carol, queue, sessionCreatedAt }));
    const confirmEmail = carol.email;
    const hourAgo = new Date(Date.now() - 3600_000);
    await expect(as(hourAgo).me.deleteAccount({ confirmEmail })).rejects.toThrow(/sign in again/i);
    await as(new Date()).me.deleteAccount({ confirmEmail });
    expect(await db().query(`SELECT 1 FROM users WHERE id = $1`, [carol.id])).toEqual([]);
  });
});
