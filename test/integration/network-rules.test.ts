import { beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { suggestNextActions } from '@/server/assistant/relationship/suggest-next-actions';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile, type Spec } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

/**
 * Who is a person of the owner's network, who is only seen, and what the owner owes whom, on a
 * generated mailbox whose every rule has a message made for it.
 */
const OWNER = 'me@acme.test';
const day = (d: number, h = 10) => new Date(Date.UTC(2025, 2, d, h)).toUTCString();
const LIST = { 'List-Id': '<deals.lists.example>', 'List-Unsubscribe': '<mailto:u@lists.example>' };
let n = 0;
const m = (s: Spec): Spec => ({ messageId: `rule${++n}@fixture`, ...s });

const MAILBOX: Spec[] = [
  // Written to by the owner: in the network, although they never answer.
  m({ from: OWNER, to: 'Wendy Writ <wendy@client.example>', subject: 'Plan', date: day(1) }),
  // Writes to the owner directly, the owner never answers: in the network.
  m({ from: 'Dan Direct <dan@vendor.example>', to: OWNER, subject: 'Hello', date: day(2) }),
  // Only ever on copy of someone else's mail: seen.
  m({
    from: 'Dan Direct <dan@vendor.example>',
    to: OWNER,
    cc: 'Cora Copy <cora@vendor.example>',
    subject: 'Quote',
    date: day(3),
    body: 'The quote is attached.',
  }),
  // Writes to a list the owner reads (the owner not named): seen.
  m({
    from: 'Lou List <lou@elsewhere.example>',
    to: 'deals@lists.example',
    subject: 'Deal of the week',
    date: day(4),
    headers: LIST,
  }),
  // A newsletter straight to the owner: a robot, never a person in any view.
  m({
    from: 'Weekly Digest <digest@news.example>',
    to: OWNER,
    subject: 'Your digest',
    date: day(20),
    headers: { 'List-Unsubscribe': '<mailto:u@news.example>', Precedence: 'bulk' },
    body: 'Can you believe these prices?',
  }),
  // Replies owed, and not.
  m({
    from: 'Ann Asks <ann@client.example>',
    to: OWNER,
    subject: 'Contract',
    date: day(21),
    body: 'Can you sign the contract by Friday?',
  }),
  m({
    from: 'Carl Cc <carl@client.example>',
    to: 'Wendy Writ <wendy@client.example>',
    cc: OWNER,
    subject: 'Numbers',
    date: day(22),
    body: 'Wendy, could you check the numbers?',
  }),
  m({
    from: 'Bea Broadcast <bea@client.example>',
    to: [OWNER, ...[1, 2, 3, 4, 5].map((i) => `p${i}@client.example`)].join(', '),
    subject: 'Offsite',
    date: day(23),
    body: 'Who is coming to the offsite?',
  }),
  m({
    from: 'Fay Fyi <fay@client.example>',
    to: OWNER,
    subject: 'FYI: org chart',
    date: day(24),
    body: 'The new chart. Any questions?',
  }),
  m({
    from: 'Fred Forward <fred@client.example>',
    to: OWNER,
    subject: 'Fw: minutes',
    date: day(25),
    body: '-----Original Message-----\nFrom: Kim\nSent: Monday\nCan everyone review the minutes?',
  }),
  m({
    from: 'Rita Replied <rita@client.example>',
    to: OWNER,
    subject: 'Lunch',
    date: day(26),
    messageId: 'rita1@fixture',
    body: 'Lunch on Tuesday?',
  }),
  m({
    from: OWNER,
    to: 'Rita Replied <rita@client.example>',
    subject: 'Re: Lunch',
    date: day(26, 15),
    inReplyTo: 'rita1@fixture',
    body: 'Yes!',
  }),
];

describeEachDriver('the owner’s network and the replies they owe', (db) => {
  let user: SessionUser;
  const api = () => createCaller(testContext({ db: db().db, user }));
  const emails = (rows: { email: string }[]) => rows.map((r) => r.email).sort();

  beforeAll(async () => {
    user = await createTestUser(db());
    await importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile('rules.mbox', mbox(MAILBOX)),
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
      'rita@client.example',
      'wendy@client.example',
    ]);
    expect(people.total).toBe(8);
    const seen = await api().contacts.list({ scope: 'seen' });
    expect(emails(seen.rows)).toEqual(
      expect.arrayContaining(['cora@vendor.example', 'lou@elsewhere.example']),
    );
    expect(seen.rows.every((r) => !r.corresponded)).toBe(true);
    // Found by a search of everyone human, marked as only seen.
    const found = await api().contacts.list({ scope: 'humans', search: 'cora' });
    expect(found.rows.map((r) => [r.email, r.corresponded])).toEqual([
      ['cora@vendor.example', false],
    ]);
    const robots = await api().contacts.list({ scope: 'robots' });
    expect(emails(robots.rows)).toContain('digest@news.example');
    const summary = await api().dashboard.summary();
    expect(summary.people).toBe(8);
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

  it('promotes a person the moment the owner corresponds with them', async () => {
    await importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile(
        'later.mbox',
        mbox([m({ from: OWNER, to: 'cora@vendor.example', date: day(27) })]),
      ),
      owners: [OWNER],
    });
    const people = await api().contacts.list({});
    expect(emails(people.rows)).toContain('cora@vendor.example');
  });
});
