import { beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { suggestNextActions } from '@/server/assistant/relationship/suggest-next-actions';
import { importMbox } from '@/server/mail/import-mbox';
import { CIRCLE_OWNER as OWNER, circleMailbox, laterMessage } from '../fixtures/circle-mailbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

/**
 * Who is a person of the owner's network, who is only seen, and what the owner owes whom, on a
 * generated mailbox whose every rule has a message made for it.
 */
describeEachDriver('the owner’s network and the replies they owe', (db) => {
  let user: SessionUser;
  const api = () => createCaller(testContext({ db: db().db, user }));
  const emails = (rows: { email: string }[]) => rows.map((r) => r.email).sort();

  beforeAll(async () => {
    user = await createTestUser(db());
    await importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile('rules.mbox', mbox(circleMailbox())),
      owners: [OWNER],
    });
  });

  it('lists the people the owner corresponded with, and keeps the others a filter away', async () => {
    const people = await api().contacts.list({});
    expect(emails(people.rows)).toEqual([
      'ann@client.example',
      'bea@client.example',
      'carl@client.example',
      'dan@vendor.example',
      'fay@client.example',
      'fred@client.example',
      'kim@partner.example',
      'kpark@partner.example',
      'rita@client.example',
      'wendy@client.example',
    ]);
    expect(people.total).toBe(10);
    const seen = await api().contacts.list({ scope: 'seen' });
    expect(emails(seen.rows)).toEqual(
      expect.arrayContaining(['cora@vendor.example', 'lou@elsewhere.example']),
    );
    expect(seen.rows.every((r) => !r.corresponded)).toBe(true);
    // A shop's mailing to the owner is not someone writing to them.
    expect(people.rows.map((r) => r.email)).not.toContain('sam@shop.example');
    // Found by a search of everyone human, marked as only seen.
    const found = await api().contacts.list({ scope: 'humans', search: 'cora' });
    expect(found.rows.map((r) => [r.email, r.corresponded])).toEqual([
      ['cora@vendor.example', false],
    ]);
    const robots = await api().contacts.list({ scope: 'robots' });
    expect(emails(robots.rows)).toContain('digest@news.example');
    const summary = await api().dashboard.summary();
    expect(summary.people).toBe(10);
    expect(summary.seen).toBe(seen.total);
  });

  it('keeps robots and the merely seen out of the dashboard’s lists', async () => {
    const top = await api().contacts.top({ metric: 'strength', limit: 50 });
    expect(emails(top)).not.toContain('digest@news.example');
    expect(emails(top)).not.toContain('cora@vendor.example');
    // The people the owner writes to come first.
    expect(top.slice(0, 2).map((c) => c.emailsSent > 0)).toEqual([true, true]);
    const recent = await api().dashboard.recent();
    expect(recent.map((r) => r.email)).not.toContain('digest@news.example');
    expect(recent.map((r) => r.email)).not.toContain('sam@shop.example');
    expect(recent.map((r) => r.email)).not.toContain('lou@elsewhere.example');
  });

  it('owes replies only to direct questions, on the dashboard and the contact page alike', async () => {
    const owed = await api().dashboard.repliesOwed();
    expect(owed.map((r) => r.email)).toEqual(['ann@client.example']);
    const idOf = async (email: string) =>
      (await api().contacts.list({ scope: 'all', search: email })).rows[0]!.id;
    const ann = await suggestNextActions(db().db, user.id, await idOf('ann@client.example'));
    expect(ann.actions[0]).toMatchObject({ title: 'Reply to "Contract"', priority: 'high' });
    for (const who of ['carl', 'bea', 'fay', 'fred', 'rita']) {
      const { actions } = await suggestNextActions(
        db().db,
        user.id,
        await idOf(`${who}@client.example`),
      );
      expect(actions.filter((a) => a.title.startsWith('Reply to'))).toEqual([]);
    }
  });

  it('counts a robot the user calls a person among their people, and back', async () => {
    const digest = (await api().contacts.list({ scope: 'robots', search: 'digest' })).rows[0]!;
    await api().contacts.update({ id: digest.id, patch: { isHuman: true } });
    expect((await api().contacts.list({})).rows.map((r) => r.email)).toContain(
      'digest@news.example',
    );
    await api().senderRules.set({ pattern: 'digest@news.example', action: 'block' });
    // The user's own edit wins over the rule: still a person.
    expect((await api().contacts.list({})).rows.map((r) => r.email)).toContain(
      'digest@news.example',
    );
    await api().contacts.update({ id: digest.id, patch: { isHuman: false } });
    expect((await api().contacts.list({})).rows.map((r) => r.email)).not.toContain(
      'digest@news.example',
    );
  });

  it('promotes a person the moment the owner corresponds with them', async () => {
    await importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile('later.mbox', mbox([laterMessage()])),
      owners: [OWNER],
    });
    const people = await api().contacts.list({});
    expect(emails(people.rows)).toContain('cora@vendor.example');
  });
});
