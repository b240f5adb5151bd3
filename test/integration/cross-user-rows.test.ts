import { beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import {
  findPeople,
  introducer,
  messageAt,
  peopleInEmails,
  peopleWithMail,
  recentEmailsWith,
} from '@/server/assistant/network-data';
import { repliesOwed } from '@/server/analytics/replies-owed';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

/**
 * Rows of one user that point at another user's rows (what a hand-made backup could have
 * restored before restores checked it): every query through them checks the user on both
 * sides of the join, so nothing of the other user comes back.
 */
describeEachDriver('rows that point at another user’s rows', (db) => {
  let alice: SessionUser;
  let bob: SessionUser;
  let rob: string;
  let bobEmail: string;
  const SECRET = ['ALICE-ONLY-SUBJECT', 'zed@alice-only.example', 'Zed Secretsson'];

  const importFor = (user: SessionUser, specs: Parameters<typeof mbox>[0]) =>
    importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile(`${user.name}.mbox`, mbox(specs)),
      owners: [user.email],
    });
  const one = async <T>(q: string, params: unknown[]) =>
    (await db().query<{ id: T }>(q, params))[0]!.id;

  beforeAll(async () => {
    alice = await createTestUser(db(), 'alice-x');
    bob = await createTestUser(db(), 'bob-x');
    await importFor(alice, [
      {
        from: 'Zed Secretsson <zed@alice-only.example>',
        to: alice.email,
        subject: 'ALICE-ONLY-SUBJECT is it?',
        date: 'Mon, 2 Mar 2026 10:00:00 +0000',
        body: 'Are the ALICE-ONLY-SUBJECT numbers in?',
      },
    ]);
    await importFor(bob, [
      {
        from: bob.email,
        to: 'Rob Other <rob@bob-only.example>',
        subject: 'Lunch',
        date: 'Mon, 2 Mar 2026 09:00:00 +0000',
      },
      {
        from: 'Rob Other <rob@bob-only.example>',
        to: bob.email,
        subject: 'Re: Lunch?',
        date: 'Mon, 2 Mar 2026 11:00:00 +0000',
      },
    ]);
    rob = await one<string>(`SELECT id FROM contacts WHERE user_id = $1`, [bob.id]);
    bobEmail = await one<string>(
      `SELECT id FROM emails WHERE user_id = $1 ORDER BY sent_at DESC LIMIT 1`,
      [bob.id],
    );
    const aliceEmail = await one<string>(`SELECT id FROM emails WHERE user_id = $1`, [alice.id]);
    const zed = await one<string>(`SELECT id FROM contacts WHERE user_id = $1`, [alice.id]);
    // Bob's rows, pointing at Alice's email and contact.
    await db().query(
      `INSERT INTO interactions (user_id, contact_id, email_id, direction, role, thread_id, occurred_at)
       VALUES ($1, $2, $3, 'inbound', 'from', 'x-thread', now()),
              ($1, $4, $5, 'inbound', 'from', 'x-thread-2', now() + interval '1 minute')`,
      [bob.id, rob, aliceEmail, zed, bobEmail],
    );
    await db().query(
      `INSERT INTO contact_emails (user_id, contact_id, email) VALUES ($1, $2, 'zed-alias@bob-side.example')`,
      [bob.id, zed],
    );
  });

  it('gives Bob nothing of Alice’s through them', async () => {
    const answers = {
      recent: await recentEmailsWith(db().db, bob.id, rob),
      last: await messageAt(db().db, bob.id, {
        contactIds: [rob],
        direction: 'received',
        which: 'last',
      }),
      people: await peopleInEmails(db().db, bob.id, [bobEmail]),
      emailed: await peopleWithMail(db().db, bob.id, { direction: 'any', humansOnly: false }),
      found: await findPeople(db().db, bob.id, 'zed-alias@bob-side.example'),
      introducer: await introducer(db().db, bob.id, rob),
      owed: await repliesOwed(db().db, bob.id),
      dashboard: await createCaller(testContext({ db: db().db, user: bob })).dashboard.recent(),
    };
    const text = JSON.stringify(answers);
    expect(SECRET.filter((s) => text.includes(s))).toEqual([]);
    expect(answers.found).toEqual([]);
  });
});
