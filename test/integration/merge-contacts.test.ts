import { expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

const OWNER = 'owner@rapport.test';

describeEachDriver('merging contacts', (db) => {
  it('suggests the same person under two addresses and merges them into one, stats included', async () => {
    const u = await createTestUser(db());
    const other = await createTestUser(db());
    const f = tempFile(
      'dup.mbox',
      mbox([
        {
          from: 'Dana Scully <dana@fbi.test>',
          to: OWNER,
          subject: 'a',
          messageId: 'd1@x',
          date: 'Mon, 5 Jan 2026 10:00:00 +0000',
        },
        {
          from: OWNER,
          to: 'dana@fbi.test',
          subject: 'Re: a',
          messageId: 'd2@x',
          inReplyTo: 'd1@x',
          date: 'Mon, 5 Jan 2026 12:00:00 +0000',
        },
        {
          from: 'Dana Scully <dscully@home.test>',
          to: OWNER,
          cc: 'dana@fbi.test',
          subject: 'b',
          messageId: 'd3@x',
          date: 'Tue, 6 Jan 2026 10:00:00 +0000',
        },
        { from: 'Sam Vimes <sam@watch.test>', to: OWNER, subject: 'c', messageId: 'd4@x' },
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    await recomputeStats(db().db, { userId: u.id });
    const api = createCaller(testContext({ db: db().db, user: u }));
    const [suggestion] = await api.contacts.mergeSuggestions({});
    expect(suggestion).toMatchObject({ name: 'Dana Scully' });
    expect([...suggestion!.emails].sort()).toEqual(['dana@fbi.test', 'dscully@home.test']);

    const [keepId, otherId] = suggestion!.contactIds as [string, string];
    // Another user cannot merge them.
    const stranger = createCaller(testContext({ db: db().db, user: other }));
    await expect(stranger.contacts.merge({ keepId, mergeIds: [otherId] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    await api.contacts.merge({ keepId, mergeIds: [otherId] });
    const addresses = await db().query<{ email: string }>(
      `SELECT email FROM contact_emails WHERE contact_id = $1 ORDER BY email`,
      [keepId],
    );
    expect(addresses.map((a) => a.email)).toEqual(['dana@fbi.test', 'dscully@home.test']);
    // d3 had both addresses on it: still one interaction.
    const stats = await api.contacts.stats({ id: keepId });
    expect(stats).toMatchObject({ emailsReceived: 2, emailsSent: 1 });
    expect(await db().query(`SELECT 1 FROM contacts WHERE id = $1`, [otherId])).toEqual([]);
    expect(await api.contacts.mergeSuggestions({})).toEqual([]);
  });

  it('puts the busiest address first in a suggestion: the one a merge keeps', async () => {
    const u = await createTestUser(db());
    // First seen on copy (no mail of theirs), later writing from another address.
    const first = tempFile(
      'cc.mbox',
      mbox([
        {
          from: 'Sam Vimes <sam@watch.test>',
          to: OWNER,
          cc: 'Dana Scully <dscully@home.test>',
          subject: 'a',
          messageId: 'b1@x',
          date: 'Mon, 5 Jan 2026 10:00:00 +0000',
        },
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: first, owners: [OWNER] });
    const later = tempFile(
      'busy.mbox',
      mbox(
        [2, 3].map((i) => ({
          from: 'Dana Scully <dana@fbi.test>',
          to: OWNER,
          subject: `b${i}`,
          messageId: `b${i}@x`,
          date: `Tue, ${i + 4} Jan 2026 10:00:00 +0000`,
        })),
      ),
    );
    await importMbox({ db: db().db, userId: u.id, file: later, owners: [OWNER] });
    const api = createCaller(testContext({ db: db().db, user: u }));
    const [suggestion] = await api.contacts.mergeSuggestions({});
    expect(suggestion!.emails).toEqual(['dana@fbi.test', 'dscully@home.test']);
  });

  it('takes the newest signature for a merged contact that one batch reaches by two addresses, whichever comes first', async () => {
    const signed = (from: string, date: string, title: string, id: string) => ({
      from: `Dana Scully <${from}>`,
      to: OWNER,
      subject: `Update ${id}`,
      date,
      messageId: id,
      body: ['Quick update.', '', 'Best,', 'Dana Scully', title, 'Acme Robotics Inc.'].join('\n'),
    });
    const older = signed('dana@home.test', 'Mon, 5 Jan 2015 10:00:00 +0000', 'Intern', 'o@x');
    const newer = signed('dana@acme-robotics.com', 'Mon, 5 Jan 2026 10:00:00 +0000', 'CTO', 'n@x');
    for (const batch of [
      [older, newer],
      [newer, older],
    ]) {
      const u = await createTestUser(db());
      const api = createCaller(testContext({ db: db().db, user: u }));
      // Two contacts, merged: one person with two addresses.
      const first = tempFile(
        'two.mbox',
        mbox([
          { from: 'Dana Scully <dana@home.test>', to: OWNER, subject: 'a', messageId: 'a@x' },
          {
            from: 'Dana Scully <dana@acme-robotics.com>',
            to: OWNER,
            subject: 'b',
            messageId: 'b@x',
          },
        ]),
      );
      await importMbox({ db: db().db, userId: u.id, file: first, owners: [OWNER] });
      const ids = await db().query<{ id: string; email: string }>(
        `SELECT id, email FROM contacts WHERE user_id = $1 ORDER BY email`,
        [u.id],
      );
      await api.contacts.merge({ keepId: ids[0]!.id, mergeIds: [ids[1]!.id] });
      // One batch with a signature from each address.
      const later = tempFile('signed.mbox', mbox(batch));
      await importMbox({ db: db().db, userId: u.id, file: later, owners: [OWNER] });
      const rows = await db().query<{ title: string | null }>(
        `SELECT title FROM contacts WHERE user_id = $1`,
        [u.id],
      );
      expect(rows).toEqual([{ title: 'CTO' }]);
    }
  });
});
