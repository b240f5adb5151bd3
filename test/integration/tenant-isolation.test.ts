import { TRPCError } from '@trpc/server';
import { beforeAll, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { contacts } from '@/server/db/schema';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';
import { testContext } from '../support/test-context';

const env = parseEnv({ NODE_ENV: 'test' });

describeEachDriver('tenant isolation', (db) => {
  let alice: SessionUser;
  let bob: SessionUser;
  let aliceContactId: string;

  beforeAll(async () => {
    alice = await createTestUser(db(), 'alice');
    bob = await createTestUser(db(), 'bob');
    const [c] = await db()
      .db.insert(contacts)
      .values([
        { userId: alice.id, email: 'dana@acme.com', name: 'Dana Scully', company: 'Acme' },
        { userId: alice.id, email: 'sam@acme.com', name: 'Sam Vimes', company: 'Acme' },
        { userId: bob.id, email: 'rob@other.org', name: 'Rob Other' },
      ])
      .returning();
    aliceContactId = c!.id;
  });

  const callerFor = (u: SessionUser | null) =>
    createCaller(testContext({ db: db().db, env, user: u }));

  it('lets the owner read her contact', async () => {
    const c = await callerFor(alice).contacts.byId({ id: aliceContactId });
    expect(c.email).toBe('dana@acme.com');
  });

  it('answers NOT_FOUND to another user asking for her record', async () => {
    await expect(callerFor(bob).contacts.byId({ id: aliceContactId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      callerFor(bob).contacts.update({ id: aliceContactId, patch: { name: 'Hacked' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const still = await callerFor(alice).contacts.byId({ id: aliceContactId });
    expect(still.name).toBe('Dana Scully');
  });

  it('never lists another user’s rows, even when searching for them', async () => {
    // Everyone human (these contacts have no mail yet: none is one of their people).
    const all = await callerFor(bob).contacts.list({ scope: 'humans' });
    expect(all.rows.map((r) => r.email)).toEqual(['rob@other.org']);
    const searched = await callerFor(bob).contacts.list({ scope: 'all', search: 'acme' });
    expect(searched).toEqual({ rows: [], total: 0 });
    const mine = await callerFor(alice).contacts.list({ scope: 'all', search: 'acme' });
    expect(mine.total).toBe(2);
  });

  it('scopes top contacts and contact stats to the user', async () => {
    const { recomputeStats } = await import('@/server/analytics/recompute-stats');
    // The owner wrote to each of them once: their people now.
    await db().query(
      `INSERT INTO interactions (user_id, contact_id, direction, role, occurred_at)
       SELECT user_id, id, 'outbound', 'to', now() FROM contacts`,
    );
    for (const u of [alice, bob]) await recomputeStats(db().db, { userId: u.id });
    const top = await callerFor(bob).contacts.top({ metric: 'emails' });
    expect(top.map((c) => c.email)).toEqual(['rob@other.org']);
    await expect(callerFor(bob).contacts.stats({ id: aliceContactId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const mine = await callerFor(alice).contacts.stats({ id: aliceContactId });
    expect(mine).toMatchObject({ emailsReceived: 0, emailsSent: 1, corresponded: true });
    expect(mine?.explanation.text).toContain('none back in your mail');
  });

  it('sorts the contact list on the server', async () => {
    const byName = await callerFor(alice).contacts.list({ sort: 'name' });
    expect(byName.rows.map((r) => r.name)).toEqual(['Dana Scully', 'Sam Vimes']);
    const reversed = await callerFor(alice).contacts.list({ sort: 'name', direction: 'desc' });
    expect(reversed.rows.map((r) => r.name)).toEqual(['Sam Vimes', 'Dana Scully']);
  });

  it('scopes dashboard counts to the user', async () => {
    expect((await callerFor(alice).dashboard.summary()).people).toBe(2);
    expect((await callerFor(bob).dashboard.summary()).people).toBe(1);
  });

  it('keeps the assistant to the asking user’s data', async () => {
    for (const call of [
      () => callerFor(bob).assistant.summary({ contactId: aliceContactId }),
      () => callerFor(bob).assistant.nextActions({ contactId: aliceContactId }),
      () => callerFor(bob).assistant.draft({ contactId: aliceContactId, tone: 'brief' }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const answers = [];
    for (const question of [
      'When did we last talk?',
      'Tell me about Dana Scully',
      'Who at Acme do I know?',
    ]) {
      const stream = await callerFor(bob).assistant.ask({ question, contactId: aliceContactId });
      for await (const chunk of stream) if (chunk.type === 'done') answers.push(chunk.answer);
    }
    expect(answers).toHaveLength(3);
    for (const a of answers) {
      expect(a.contacts).toEqual([]);
      // It may echo the name asked about, never what Alice's data holds.
      expect(a.answer).not.toMatch(/dana@acme\.com|sam@acme|Sam Vimes/i);
    }
    // Alice, asking the same, gets her contact.
    const own = await callerFor(alice).assistant.ask({ question: 'Tell me about Dana Scully' });
    for await (const chunk of own)
      if (chunk.type === 'done') expect(chunk.answer.contacts[0]?.email).toBe('dana@acme.com');
  });

  it('refuses protected procedures without a session', async () => {
    const err = await callerFor(null)
      .contacts.list({})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('UNAUTHORIZED');
  });
});
