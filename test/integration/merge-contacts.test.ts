import { expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';
import { userRows } from '../support/user-rows';

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

  it('undoes a merge: every contact, address, interaction and figure back as it was', async () => {
    const u = await createTestUser(db());
    const dana = (from: string, i: number, extra: object = {}) => ({
      from: `Dana Scully <${from}>`,
      to: OWNER,
      subject: `u${i}`,
      messageId: `u${i}@x`,
      date: `Mon, ${i} Jan 2026 10:00:00 +0000`,
      ...extra,
    });
    await importMbox({
      db: db().db,
      userId: u.id,
      file: tempFile(
        'undo.mbox',
        mbox([
          dana('dana@fbi.test', 5),
          dana('dscully@fbi.test', 6, { cc: 'dana@fbi.test' }),
          { from: OWNER, to: 'dscully@fbi.test', subject: 'Re: u6', messageId: 'u7@x' },
        ]),
      ),
      owners: [OWNER],
    });
    const api = createCaller(testContext({ db: db().db, user: u }));
    const [suggestion] = await api.contacts.mergeSuggestions({});
    expect(suggestion!.reasons).toEqual(['The same name, both at fbi.test']);
    const before = await userRows(db().db, u.id, { contacts: ['updated_at'] });
    const [keepId, otherId] = suggestion!.contactIds as [string, string];
    const { mergeId } = await api.contacts.merge({ keepId, mergeIds: [otherId] });
    expect([...(await api.contacts.addresses({ id: keepId }))].sort()).toEqual([
      'dana@fbi.test',
      'dscully@fbi.test',
    ]);
    expect(await api.contacts.merges({ contactId: keepId })).toMatchObject([
      { id: mergeId, mergedEmails: [expect.any(String)] },
    ]);
    await api.contacts.undoMerge({ mergeId });
    const after = await userRows(db().db, u.id, { contacts: ['updated_at'] });
    for (const table of ['contacts', 'contact_emails', 'interactions', 'contact_stats'])
      expect(after[table], table).toEqual(before[table]);
    // Undone once; and the pair is two people now: not suggested again.
    await expect(api.contacts.undoMerge({ mergeId })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await api.contacts.merges({})).toEqual([]);
    expect(await api.contacts.mergeSuggestions({})).toEqual([]);
  });

  it('gives an address its mail since the merge back when the merge is undone', async () => {
    const u = await createTestUser(db());
    const api = createCaller(testContext({ db: db().db, user: u }));
    const from = (addr: string, id: string) => ({
      from: `Fox Mulder <${addr}>`,
      to: OWNER,
      subject: id,
      messageId: `${id}@x`,
    });
    await importMbox({
      db: db().db,
      userId: u.id,
      file: tempFile('a.mbox', mbox([from('fox@fbi.test', 'f1'), from('mulder@fbi.test', 'f2')])),
      owners: [OWNER],
    });
    const [s] = await api.contacts.mergeSuggestions({});
    const [keepId, otherId] = s!.contactIds as [string, string];
    const other = s!.emails[1]!;
    const { mergeId } = await api.contacts.merge({ keepId, mergeIds: [otherId] });
    await importMbox({
      db: db().db,
      userId: u.id,
      file: tempFile('b.mbox', mbox([from(other, 'f3')])),
      owners: [OWNER],
    });
    expect((await api.contacts.stats({ id: keepId }))!.emailsReceived).toBe(3);
    await api.contacts.undoMerge({ mergeId });
    expect((await api.contacts.stats({ id: keepId }))!.emailsReceived).toBe(1);
    expect((await api.contacts.stats({ id: otherId }))!.emailsReceived).toBe(2);
  });

  it('gives back only the undoing user’s rows, whatever a stored snapshot says (a restored backup’s)', async () => {
    const mallory = await createTestUser(db());
    const victim = await createTestUser(db());
    const mail = (to: string, id: string) => ({
      from: `Walter Skinner <skinner@fbi.test>`,
      to,
      subject: id,
      messageId: `${id}@x`,
    });
    await importMbox({
      db: db().db,
      userId: victim.id,
      file: tempFile('v.mbox', mbox([mail(victim.email, 'v1')])),
      owners: [victim.email],
    });
    await importMbox({
      db: db().db,
      userId: mallory.id,
      file: tempFile(
        'm.mbox',
        mbox([
          mail(mallory.email, 'm1'),
          { ...mail(mallory.email, 'm2'), from: 'W. Skinner <wskinner@fbi.test>' },
        ]),
      ),
      owners: [mallory.email],
    });
    const api = createCaller(testContext({ db: db().db, user: mallory }));
    const [s] = await api.contacts.mergeSuggestions({});
    const [keepId, otherId] = s!.contactIds as [string, string];
    const { mergeId } = await api.contacts.merge({ keepId, mergeIds: [otherId] });
    const before = await userRows(db().db, victim.id, {});
    // The snapshot rewritten to hand the victim a contact, and Mallory's interaction pointed
    // at the victim's mail.
    const [victimEmail] = await db().query<{ id: string }>(
      `SELECT id FROM emails WHERE user_id = $1 LIMIT 1`,
      [victim.id],
    );
    await db().query(
      `UPDATE contact_merges SET snapshot = jsonb_set(jsonb_set(snapshot,
         '{merged,0,user_id}', to_jsonb($2::text)),
         '{interactions,0,email_id}', to_jsonb($3::text)) WHERE id = $1`,
      [mergeId, victim.id, victimEmail!.id],
    );
    await api.contacts.undoMerge({ mergeId });
    expect(await userRows(db().db, victim.id, {})).toEqual(before);
    const [back] = await db().query<{ user_id: string }>(
      `SELECT user_id FROM contacts WHERE id = $1`,
      [otherId],
    );
    expect(back!.user_id).toBe(mallory.id);
  });

  it('keeps a pair the user calls two people out of the queue', async () => {
    const u = await createTestUser(db());
    const api = createCaller(testContext({ db: db().db, user: u }));
    await importMbox({
      db: db().db,
      userId: u.id,
      file: tempFile(
        'two.mbox',
        mbox([
          { from: 'Kim Park <kim@acme.test>', to: OWNER, subject: 'a', messageId: 'k1@x' },
          { from: 'Kim Park <kpark@acme.test>', to: OWNER, subject: 'b', messageId: 'k2@x' },
        ]),
      ),
      owners: [OWNER],
    });
    const [s] = await api.contacts.mergeSuggestions({});
    expect(s!.members.map((m) => m.email).sort()).toEqual(['kim@acme.test', 'kpark@acme.test']);
    await api.contacts.dismissDuplicate({ contactIds: s!.contactIds });
    expect(await api.contacts.mergeSuggestions({})).toEqual([]);
  });
});
