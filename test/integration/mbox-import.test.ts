import fs from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { writeGeneratedMbox } from '@/server/demo/write-mbox';
import { generateMailbox, toMboxEntry } from '@/server/demo/generate-mailbox';
import { importMbox, importMboxes, type ImportProgress } from '@/server/mail/import-mbox';
import { ensureMailAccount, ownerSet } from '@/server/mail/mail-accounts';
import { parseMessage } from '@/server/mail/parse-message';
import { storeMessages } from '@/server/mail/store-messages';
import { mbox, message, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

const OWNER = { email: 'owner@rapport.test', name: 'Olive Owner' };
const NOW = new Date('2026-06-01T00:00:00Z');

describeEachDriver('mbox import', (db) => {
  let file: string;
  beforeAll(async () => {
    file = tempFile('demo.mbox', '');
    await writeGeneratedMbox(file, { seed: 3, messages: 300, people: 25, owner: OWNER, now: NOW });
  });

  const q = <T>(text: string, params: unknown[] = []) => db().query<T>(text, params);

  it('stores every message once, with direction, threads, contacts and interactions; re-import adds nothing', async () => {
    const u = await createTestUser(db());
    const first = await importMbox({
      db: db().db,
      userId: u.id,
      file,
      owners: [OWNER.email],
      batchSize: 64,
    });
    expect(first).toMatchObject({ read: 300, stored: 300, duplicates: 0, failed: 0 });

    const [dir] = await q<{ out: number; inb: number }>(
      `SELECT count(*) FILTER (WHERE direction = 'outbound')::int AS out,
              count(*) FILTER (WHERE direction = 'inbound')::int AS inb FROM emails WHERE user_id = $1`,
      [u.id],
    );
    const sentByOwner = [
      ...generateMailbox({ seed: 3, messages: 300, people: 25, owner: OWNER, now: NOW }),
    ].filter((m) => m.sender === OWNER.email).length;
    expect(dir).toEqual({ out: sentByOwner, inb: 300 - sentByOwner });

    // Every reply sits in the thread of the message it references.
    const orphans = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM emails r JOIN emails p
          ON p.user_id = r.user_id AND p.message_id_header = r.in_reply_to
        WHERE r.user_id = $1 AND r.thread_id <> p.thread_id`,
      [u.id],
    );
    expect(orphans[0]!.n).toBe(0);

    // The owner is never a contact; every contact participation is an interaction.
    const owner = await q(`SELECT 1 FROM contacts WHERE user_id = $1 AND email = $2`, [
      u.id,
      OWNER.email,
    ]);
    expect(owner).toHaveLength(0);
    const [{ n: interactions }] = (await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM interactions WHERE user_id = $1`,
      [u.id],
    )) as [{ n: number }];
    const [{ n: expected }] = (await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM emails e, unnest(e.participants) p
        WHERE e.user_id = $1 AND p <> $2`,
      [u.id, OWNER.email],
    )) as [{ n: number }];
    expect(interactions).toBe(expected);

    const again = await importMbox({ db: db().db, userId: u.id, file, owners: [OWNER.email] });
    expect(again).toMatchObject({ read: 300, stored: 0, duplicates: 300 });
    const [{ n: total }] = (await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM emails WHERE user_id = $1`,
      [u.id],
    )) as [{ n: number }];
    expect(total).toBe(300);

    const synced = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE user_id = $1 AND type = 'emails.synced'`,
      [u.id],
    );
    expect(synced[0]!.n).toBeGreaterThanOrEqual(5); // one summary per batch
  });

  it('adds only the new messages of an overlapping, reordered superset', async () => {
    const u = await createTestUser(db());
    const all = [
      ...generateMailbox({ seed: 9, messages: 120, people: 10, owner: OWNER, now: NOW }),
    ];
    const part = tempFile('part.mbox', all.slice(0, 80).map(toMboxEntry).join(''));
    const superset = tempFile('all.mbox', [...all].reverse().map(toMboxEntry).join(''));
    expect(
      (await importMbox({ db: db().db, userId: u.id, file: part, owners: [OWNER.email] })).stored,
    ).toBe(80);
    const second = await importMbox({
      db: db().db,
      userId: u.id,
      file: superset,
      owners: [OWNER.email],
      batchSize: 50,
    });
    expect(second).toMatchObject({ stored: 40, duplicates: 80 });
  });

  it('stores one message filed in several folders under different Message-IDs once, with every folder', async () => {
    const u = await createTestUser(db());
    const copy = (id: string, folder: string) => ({
      from: 'jeff@enron.com',
      to: 'owner@rapport.test',
      subject: 'Gas contracts',
      date: 'Mon, 14 May 2001 16:39:00 -0700',
      messageId: id,
      headers: { 'X-Folder': `\\Owner\\${folder}` },
      body: 'See the attached figures.',
    });
    const f = tempFile(
      'folders.mbox',
      mbox([copy('a1@x', 'Inbox'), copy('b2@x', 'All documents')]),
    );
    const f2 = tempFile('folders2.mbox', mbox([copy('c3@x', 'Deleted Items')]));
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER.email] });
    const r = await importMbox({ db: db().db, userId: u.id, file: f2, owners: [OWNER.email] });
    expect(r).toMatchObject({ stored: 0, duplicates: 1 });
    const rows = await q<{ labels: string[] }>(`SELECT labels FROM emails WHERE user_id = $1`, [
      u.id,
    ]);
    expect(rows).toHaveLength(1);
    expect([...rows[0]!.labels].sort()).toEqual(['All documents', 'Deleted Items', 'Inbox']);
  });

  it('imports every good message of a mailbox with corrupt ones and records each bad one with its reason', async () => {
    const u = await createTestUser(db());
    const good = (i: number) => ({
      from: `p${i}@x.com`,
      to: OWNER.email,
      subject: `ok ${i}`,
      messageId: `ok${i}@x`,
    });
    const content =
      mbox([good(1), '\u0000\u0001\u0002 binary garbage, not a message\n', good(2)]) +
      mbox([{ ...good(3), body: 'x'.repeat(2048) }, good(4)]);
    const f = tempFile('corrupt.mbox', content);
    const r = await importMbox({
      db: db().db,
      userId: u.id,
      file: f,
      owners: [OWNER.email],
      maxMessageBytes: 1024,
    });
    expect(r).toMatchObject({ read: 5, stored: 3, failed: 2 });
    const errors = await q<{ source_ref: string; reason: string }>(
      `SELECT source_ref, reason FROM import_errors WHERE user_id = $1 ORDER BY source_ref`,
      [u.id],
    );
    expect(errors).toEqual([
      { source_ref: 'corrupt.mbox#1', reason: expect.stringMatching(/not an email/) },
      { source_ref: 'corrupt.mbox#3', reason: expect.stringMatching(/too large/) },
    ]);

    // What the user sees (Settings): the mailbox, its messages, and each bad one once with its
    // reason, however often the file is imported.
    await importMbox({
      db: db().db,
      userId: u.id,
      file: f,
      owners: [OWNER.email],
      maxMessageBytes: 1024,
    });
    const caller = (userId: string) =>
      createCaller(
        testContext({ db: db().db, user: { id: userId, email: 'x@x.test', name: 'x' } }),
      );
    const [mailbox] = await caller(u.id).mailAccounts.list();
    expect(mailbox).toMatchObject({
      provider: 'mbox',
      address: OWNER.email,
      messages: 3,
      rejected: 2,
    });
    const shown = await caller(u.id).mailAccounts.importErrors({ accountId: mailbox!.id });
    // Each once, in the file's order (#3 after #1; a batch's failures share their time).
    expect(shown.map((e) => [e.ref, e.reason])).toEqual([
      ['corrupt.mbox#1', expect.stringMatching(/not an email/)],
      ['corrupt.mbox#3', expect.stringMatching(/too large/)],
    ]);
    expect(
      await caller(u.id).mailAccounts.importErrors({ accountId: mailbox!.id, limit: 1 }),
    ).toHaveLength(1);
    const other = await createTestUser(db());
    await expect(
      caller(other.id).mailAccounts.importErrors({ accountId: mailbox!.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('learns the owner’s other address from a sent folder and fixes earlier mail', async () => {
    const u = await createTestUser(db());
    const other = 'olive@home.test';
    const f = tempFile(
      'aliases.mbox',
      mbox([
        { from: 'dana@y.com', to: other, subject: 'hi', messageId: 'm1@x' },
        {
          from: other,
          to: 'dana@y.com',
          subject: 'Re: hi',
          messageId: 'm2@x',
          headers: { 'X-Folder': '\\o\\Sent Items' },
        },
        {
          from: other,
          to: 'sam@y.com',
          subject: 'lunch',
          messageId: 'm3@x',
          headers: { 'X-Folder': '\\o\\sent' },
        },
      ]),
    );
    const r = await importMbox({
      db: db().db,
      userId: u.id,
      file: f,
      owners: [OWNER.email],
      batchSize: 1,
    });
    expect(r.aliasesLearned).toEqual([other]);
    const dirs = await q<{ message_id_header: string; direction: string }>(
      `SELECT message_id_header, direction FROM emails WHERE user_id = $1 ORDER BY message_id_header`,
      [u.id],
    );
    expect(dirs.map((d) => d.direction)).toEqual(['inbound', 'outbound', 'outbound']);
    const contacts = await q<{ email: string }>(
      `SELECT email FROM contacts WHERE user_id = $1 ORDER BY email`,
      [u.id],
    );
    expect(contacts.map((c) => c.email)).toEqual(['dana@y.com', 'sam@y.com']);
  });

  // On worker threads too: there a message's contact evidence is worked out when it is read,
  // before the aliases an earlier file teaches are adopted.
  it.each([false, true])(
    'imports several files in one pipeline, each into its owners’ account, later files knowing the aliases earlier ones taught (workers: %s)',
    async (parallel) => {
      const u = await createTestUser(db());
      const other = 'olive@home.test';
      const a = tempFile(
        'multi-a.mbox',
        mbox([
          { from: 'dana@y.com', to: OWNER.email, subject: 'a1', messageId: 'ma1@x' },
          ...[2, 3].map((i) => ({
            from: other,
            to: 'dana@y.com',
            subject: `a${i}`,
            messageId: `ma${i}@x`,
            headers: { 'X-Folder': '\\o\\Sent Items' },
          })),
        ]),
      );
      // Another person's archive: its own account, its own owner.
      const b = tempFile(
        'multi-b.mbox',
        mbox([
          { from: 'boss@corp.test', to: 'bob@corp.test', subject: 'b1', messageId: 'mb1@x' },
          { from: 'bob@corp.test', to: 'boss@corp.test', subject: 'b2', messageId: 'mb2@x' },
        ]),
      );
      // The first owner again, from the address learned in the first file.
      const c = tempFile(
        'multi-c.mbox',
        mbox([{ from: other, to: 'sam@y.com', subject: 'c1', messageId: 'mc1@x' }]),
      );
      const progress: ImportProgress[] = [];
      const summaries = await importMboxes({
        db: db().db,
        userId: u.id,
        sources: [
          { file: a, owners: [OWNER.email] },
          { file: b, owners: ['bob@corp.test'] },
          { file: c, owners: [OWNER.email] },
        ],
        batchSize: 2,
        parallel,
        onProgress: (p) => progress.push(p),
      });
      expect(summaries.map((s) => [s.read, s.stored, s.failed])).toEqual([
        [3, 3, 0],
        [2, 2, 0],
        [1, 1, 0],
      ]);
      expect(summaries[0]!.aliasesLearned).toEqual([other]);
      expect(summaries[2]!.accountId).toBe(summaries[0]!.accountId);
      expect(summaries[1]!.accountId).not.toBe(summaries[0]!.accountId);

      const dirs = await q<{ subject: string; direction: string }>(
        `SELECT subject, direction FROM emails WHERE user_id = $1 ORDER BY subject`,
        [u.id],
      );
      expect(dirs.map((d) => `${d.subject}:${d.direction}`)).toEqual([
        'a1:inbound',
        'a2:outbound',
        'a3:outbound',
        'b1:inbound',
        'b2:outbound',
        'c1:outbound',
      ]);
      const contacts = await q<{ email: string }>(
        `SELECT email FROM contacts WHERE user_id = $1 ORDER BY email`,
        [u.id],
      );
      expect(contacts.map((x) => x.email)).toEqual(['boss@corp.test', 'dana@y.com', 'sam@y.com']);

      // Progress covers the whole run: counts and bytes only grow, and end at every byte.
      const total = [a, b, c].reduce((n, f) => n + fs.statSync(f).size, 0);
      expect(progress.at(-1)).toMatchObject({
        read: 6,
        stored: 6,
        totalBytes: total,
        bytesRead: total,
      });
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]!.stored).toBeGreaterThanOrEqual(progress[i - 1]!.stored);
        expect(progress[i]!.bytesRead).toBeGreaterThanOrEqual(progress[i - 1]!.bytesRead);
      }
    },
  );

  it('refuses a missing file before importing anything', async () => {
    const u = await createTestUser(db());
    const a = tempFile(
      'present.mbox',
      mbox([{ from: 'x@y.com', to: OWNER.email, messageId: 'p1@x' }]),
    );
    await expect(
      importMboxes({
        db: db().db,
        userId: u.id,
        sources: [{ file: a }, { file: `${a}.missing` }],
      }),
    ).rejects.toThrow(/ENOENT/);
    const rows = await q(`SELECT 1 FROM emails WHERE user_id = $1`, [u.id]);
    expect(rows).toHaveLength(0);
  });

  it('stops at a batch that fails, storing nothing after it, and settles before it reports', async () => {
    const u = await createTestUser(db());
    let batches = 0;
    let after = 0;
    await expect(
      importMbox({
        db: db().db,
        userId: u.id,
        file,
        owners: [OWNER.email],
        batchSize: 20,
        parallel: true,
        onBatch: () => {
          if (++batches === 3) throw new Error('batch 3 broke');
          if (batches > 3) after++;
        },
      }),
    ).rejects.toThrow('batch 3 broke');
    const [stored] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM emails WHERE user_id = $1`,
      [u.id],
    );
    // Three batches of 20 were stored (the third before its callback broke), none after them.
    expect(stored!.n).toBeLessThanOrEqual(60);
    expect(stored!.n).toBeGreaterThan(40);
    expect(after).toBe(0);
    expect(batches).toBe(3);
  });

  it('emits one event per message and per new person for a small incremental sync', async () => {
    const u = await createTestUser(db());
    const account = await ensureMailAccount(db().db, {
      userId: u.id,
      provider: 'mbox',
      owners: [OWNER.email],
    });
    const parsed = await Promise.all(
      [
        message({
          from: 'Dana <dana@y.com>',
          to: OWNER.email,
          subject: 'hello',
          messageId: 'inc1@x',
        }),
        message({ from: OWNER.email, to: 'sam@y.com', subject: 'hi Sam', messageId: 'inc2@x' }),
      ].map((raw) => parseMessage({ raw: Buffer.from(raw), source: 'mbox' })),
    );
    await storeMessages(
      db().db,
      { userId: u.id, accountId: account.id, source: 'mbox', owners: ownerSet(account) },
      parsed,
      { perMessageEvents: true, eventSource: 'sync' },
    );
    const events = await q<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM events WHERE user_id = $1 AND type <> 'user.signed_in' ORDER BY id`,
      [u.id],
    );
    expect(events.map((e) => e.type).sort()).toEqual([
      'contact.created',
      'contact.created',
      'email.received',
      'email.sent',
    ]);
    // A later message from Dana with a signature improves her contact: one contact.updated.
    const update = await parseMessage({
      raw: Buffer.from(
        message({
          from: 'Dana <dana@y.com>',
          to: OWNER.email,
          subject: 'again',
          messageId: 'inc3@x',
          body: 'More soon.\n\nDana Scully\nHead of Partnerships\nAcme Inc.\nMobile: (206) 555-0142',
        }),
      ),
      source: 'mbox',
    });
    await storeMessages(
      db().db,
      { userId: u.id, accountId: account.id, source: 'mbox', owners: ownerSet(account) },
      [update],
      { perMessageEvents: true, eventSource: 'sync' },
    );
    const updated = await q<{ payload: { email: string } }>(
      `SELECT payload FROM events WHERE user_id = $1 AND type = 'contact.updated'`,
      [u.id],
    );
    expect(updated.map((e) => e.payload.email)).toEqual(['dana@y.com']);
    expect(events.find((e) => e.type === 'email.received')!.payload).toMatchObject({
      from: 'dana@y.com',
      subject: 'hello',
    });
  });

  it('scores everyone again when an import moves the latest mail (scores are reckoned at it)', async () => {
    const u = await createTestUser(db());
    const at = (email: string, date: string, id: string, out = false) =>
      message({
        from: out ? OWNER.email : email,
        to: out ? email : OWNER.email,
        subject: `Note ${id}`,
        date,
        messageId: id,
      });
    const computedAt = async (email: string) =>
      new Date(
        (
          await db().query<{ computed_at: Date }>(
            `SELECT s.computed_at FROM contact_stats s JOIN contacts c ON c.id = s.contact_id
              WHERE c.user_id = $1 AND c.email = $2`,
            [u.id, email],
          )
        )[0]!.computed_at,
      ).toISOString();
    const older = tempFile(
      '2001.mbox',
      mbox([
        at('ann@x.com', 'Mon, 5 Mar 2001 10:00:00 +0000', 'a1@x'),
        at('ann@x.com', 'Tue, 6 Mar 2001 10:00:00 +0000', 'a2@x', true),
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: older, owners: [OWNER.email] });
    expect(await computedAt('ann@x.com')).toBe('2001-03-06T10:00:00.000Z');
    const newer = tempFile(
      '2003.mbox',
      mbox([at('bob@x.com', 'Wed, 8 Jan 2003 10:00:00 +0000', 'b1@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: newer, owners: [OWNER.email] });
    // Ann is in no message of the second file, and is scored as of its end too.
    expect(await computedAt('ann@x.com')).toBe('2003-01-08T10:00:00.000Z');
    expect(await computedAt('bob@x.com')).toBe('2003-01-08T10:00:00.000Z');
  });

  it('recomputes the touched people’s stats inside the store transaction when asked (a sync)', async () => {
    const u = await createTestUser(db());
    const account = await ensureMailAccount(db().db, {
      userId: u.id,
      provider: 'mbox',
      owners: [OWNER.email],
    });
    const mailbox = {
      userId: u.id,
      accountId: account.id,
      source: 'mbox' as const,
      owners: ownerSet(account),
    };
    const parsed = await Promise.all(
      ['st1@x', 'st2@x'].map((id) =>
        parseMessage({
          raw: Buffer.from(
            message({ from: 'Rui <rui@y.com>', to: OWNER.email, subject: id, messageId: id }),
          ),
          source: 'mbox',
        }),
      ),
    );
    const stats = () =>
      q<{ total_emails: number }>(
        `SELECT s.total_emails FROM contact_stats s JOIN contacts c ON c.id = s.contact_id
          WHERE c.user_id = $1 AND c.email = 'rui@y.com'`,
        [u.id],
      );
    await storeMessages(db().db, mailbox, [parsed[0]!], { eventSource: 'sync' });
    expect(await stats()).toEqual([]); // without it, the caller recomputes
    await storeMessages(db().db, mailbox, [parsed[1]!], {
      eventSource: 'sync',
      recomputeStats: true,
    });
    expect(await stats()).toEqual([{ total_emails: 2 }]);
  });
});
