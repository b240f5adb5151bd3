import { expect, it } from 'vitest';
import { updateContact } from '@/server/contacts/contact-queries';
import { reextractContacts } from '@/server/contacts/reextract-contacts';
import { importMbox } from '@/server/mail/import-mbox';
import { ensureMailAccount, ownerSet } from '@/server/mail/mail-accounts';
import { parseMessage } from '@/server/mail/parse-message';
import { storeMessages } from '@/server/mail/store-messages';
import { message, mbox, tempFile, type Spec } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const OWNER = 'owner@rapport.test';
const signed = (date: string, title: string, id: string) => ({
  from: '"Scully, Dana" <dana.scully@acme-robotics.com>',
  to: OWNER,
  subject: `Update ${id}`,
  date,
  messageId: id,
  body: [
    'Quick update below.',
    '',
    'Best,',
    'Dana Scully',
    title,
    'Acme Robotics Inc.',
    'Mobile: (206) 555-0142',
    'https://www.linkedin.com/in/dana-scully',
  ].join('\n'),
});

describeEachDriver('contact extraction into contacts', (db) => {
  it('fills name, company, title, phones and links from the signature, with their sources', async () => {
    const u = await createTestUser(db());
    const f = tempFile(
      'sig.mbox',
      mbox([signed('Mon, 5 Jan 2026 10:00:00 +0000', 'Head of Partnerships', 'a1@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    const [c] = await db().query<Record<string, unknown>>(
      `SELECT * FROM contacts WHERE user_id = $1`,
      [u.id],
    );
    expect(c).toMatchObject({
      email: 'dana.scully@acme-robotics.com',
      name: 'Dana Scully',
      title: 'Head of Partnerships',
      company: 'Acme Robotics Inc.',
      company_domain: 'acme-robotics.com',
      phones: [{ number: '+12065550142', type: 'mobile', extension: null }],
      links: { linkedin: 'https://www.linkedin.com/in/dana-scully' },
      is_human: true,
    });
    expect((c!.field_sources as Record<string, { source: string }>).title!.source).toBe(
      'signature',
    );
  });

  it('lets newer evidence improve fields but never overwrites what the user edited', async () => {
    const u = await createTestUser(db());
    const first = tempFile(
      'one.mbox',
      mbox([signed('Mon, 5 Jan 2026 10:00:00 +0000', 'Product Manager', 'b1@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: first, owners: [OWNER] });
    const [c] = await db().query<{ id: string }>(`SELECT id FROM contacts WHERE user_id = $1`, [
      u.id,
    ]);
    await updateContact(db().db, u.id, c!.id, { company: 'Acme (my note)' });

    // A newer message: a promotion. An older one arriving later changes nothing.
    const later = tempFile(
      'two.mbox',
      mbox([
        signed('Mon, 2 Mar 2026 10:00:00 +0000', 'VP Engineering', 'b2@x'),
        signed('Mon, 1 Dec 2025 10:00:00 +0000', 'Intern', 'b0@x'),
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: later, owners: [OWNER] });
    const [after] = await db().query<{ title: string; company: string }>(
      `SELECT title, company FROM contacts WHERE id = $1`,
      [c!.id],
    );
    expect(after).toEqual({ title: 'VP Engineering', company: 'Acme (my note)' });
    const older = tempFile(
      'three.mbox',
      mbox([signed('Mon, 1 Dec 2025 09:00:00 +0000', 'Intern', 'b9@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: older, owners: [OWNER] });
    const [still] = await db().query<{ title: string }>(
      `SELECT title FROM contacts WHERE id = $1`,
      [c!.id],
    );
    expect(still!.title).toBe('VP Engineering');
  });

  it('leaves a contact untouched by mail that tells nothing new, and moves only the evidence date for a repeat signature', async () => {
    const u = await createTestUser(db());
    const plain = (id: string, date: string) => ({
      from: '"Fox Mulder" <fox@xfiles.example>',
      to: OWNER,
      subject: `Note ${id}`,
      date,
      messageId: id,
      body: 'Short note, no signature.',
    });
    const row = async (email: string) =>
      (
        await db().query<{
          version: string;
          updated_at: Date;
          field_sources: Record<string, { at: string }>;
        }>(
          `SELECT xmin::text AS version, updated_at, field_sources FROM contacts WHERE user_id = $1 AND email = $2`,
          [u.id, email],
        )
      )[0]!;
    const load = (name: string, messages: Spec[]) =>
      importMbox({
        db: db().db,
        userId: u.id,
        file: tempFile(name, mbox(messages)),
        owners: [OWNER],
      });

    await load('p1.mbox', [plain('p1@x', 'Mon, 5 Jan 2026 10:00:00 +0000')]);
    await load('s1.mbox', [signed('Mon, 5 Jan 2026 10:00:00 +0000', 'Product Manager', 's1@x')]);
    const fox = await row('fox@xfiles.example');
    const dana = await row('dana.scully@acme-robotics.com');

    await load('p2.mbox', [plain('p2@x', 'Tue, 6 Jan 2026 10:00:00 +0000')]);
    await load('s2.mbox', [signed('Tue, 6 Jan 2026 10:00:00 +0000', 'Product Manager', 's2@x')]);
    // Nothing new about Fox: the row is the same version.
    expect(await row('fox@xfiles.example')).toEqual(fox);
    // Dana's title seen again, later: its evidence date moves, the contact is not "updated".
    const again = await row('dana.scully@acme-robotics.com');
    expect(again.version).not.toBe(dana.version);
    expect(again.updated_at).toEqual(dana.updated_at);
    expect(Date.parse(again.field_sources.title!.at)).toBeGreaterThan(
      Date.parse(dana.field_sources.title!.at),
    );
    // Both still counted: the second messages have their interactions.
    const [{ n }] = (await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM interactions WHERE user_id = $1`,
      [u.id],
    )) as [{ n: number }];
    expect(n).toBe(4);
  });

  it('keeps robots apart and obeys the user’s block list on later syncs', async () => {
    const u = await createTestUser(db());
    await db().query(
      `INSERT INTO sender_rules (user_id, pattern, action) VALUES ($1, '@spammy.test', 'block')`,
      [u.id],
    );
    const f = tempFile(
      'robots.mbox',
      mbox([
        { from: 'noreply@service.test', to: OWNER, subject: 'Your receipt', messageId: 'r1@x' },
        {
          from: 'news@shop.test',
          to: OWNER,
          subject: 'Sale',
          messageId: 'r2@x',
          headers: { 'List-Unsubscribe': '<https://shop.test/u>', Precedence: 'bulk' },
        },
        { from: 'Sam Vimes <sam@spammy.test>', to: OWNER, subject: 'hi', messageId: 'r3@x' },
        {
          from: 'Ann Poster <ann@uni.test>',
          to: 'list@lists.test',
          subject: 'question',
          messageId: 'r4@x',
          headers: { 'List-Id': '<list.lists.test>', 'List-Post': '<mailto:list@lists.test>' },
        },
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    const rows = await db().query<{
      email: string;
      is_human: boolean;
      classification_reason: string;
    }>(
      `SELECT email, is_human, classification_reason FROM contacts WHERE user_id = $1 ORDER BY email`,
      [u.id],
    );
    expect(Object.fromEntries(rows.map((r) => [r.email, r.is_human]))).toEqual({
      'ann@uni.test': true,
      'list@lists.test': false,
      'news@shop.test': false,
      'noreply@service.test': false,
      'sam@spammy.test': false,
    });
    expect(rows.find((r) => r.email === 'sam@spammy.test')!.classification_reason).toContain(
      'blocked by you',
    );
  });

  it('re-extracts over stored mail: fresh verdicts and fields, user edits kept', async () => {
    const u = await createTestUser(db());
    const f = tempFile(
      're.mbox',
      mbox([signed('Mon, 5 Jan 2026 10:00:00 +0000', 'Head of Partnerships', 'c1@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    const [c] = await db().query<{ id: string }>(`SELECT id FROM contacts WHERE user_id = $1`, [
      u.id,
    ]);
    // As if older rules had got this contact wrong.
    await db().query(
      `UPDATE contacts SET is_human = false, classification_reason = 'old rule', title = NULL,
         field_sources = field_sources - 'title' WHERE id = $1`,
      [c!.id],
    );
    await updateContact(db().db, u.id, c!.id, { notes: 'met at the conference' });
    const r = await reextractContacts(db().db, { userId: u.id });
    expect(r.emails).toBe(1);
    const [after] = await db().query<Record<string, unknown>>(
      `SELECT is_human, title, notes FROM contacts WHERE id = $1`,
      [c!.id],
    );
    expect(after).toEqual({
      is_human: true,
      title: 'Head of Partnerships',
      notes: 'met at the conference',
    });
  });

  it('re-extraction replaces what older rules extracted and empties what no mail supports', async () => {
    const u = await createTestUser(db());
    const f = tempFile(
      'fix.mbox',
      mbox([signed('Mon, 5 Jan 2026 10:00:00 +0000', 'Head of Partnerships', 'd1@x')]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    const [c] = await db().query<{ id: string; field_sources: Record<string, object> }>(
      `SELECT id, field_sources FROM contacts WHERE user_id = $1`,
      [u.id],
    );
    // As older rules might have left it: a confident wrong name, a sentence for a title, a
    // stray phone and website beside the right ones, a location no message gives; and what
    // enrichment found (a website) and the user typed (the company).
    const old = (confidence = 0.9) => ({
      source: 'signature',
      confidence,
      at: '2026-01-05T10:00:00Z',
    });
    await db().query(
      `UPDATE contacts SET name = 'Tied 16 Times', name_confidence = 0.99, title = 'Thanks for the call',
         phones = phones || '[{"number": "+15550000000", "type": null, "extension": null}]'::jsonb,
         links = '{"linkedin": "https://www.linkedin.com/in/dana-scully", "websites": ["https://garbage.test"]}'::jsonb,
         location = 'Nowhere', company = 'Scully Consulting',
         user_edited_fields = ARRAY['company'],
         field_sources = field_sources || $2::jsonb
       WHERE id = $1`,
      [
        c!.id,
        JSON.stringify({
          name: { ...old(0.99), source: 'header' },
          title: old(),
          phones: old(),
          location: old(0.7),
          links: { source: 'enrichment:github', confidence: 0.8, at: '2026-02-01T00:00:00Z' },
        }),
      ],
    );
    const r = await reextractContacts(db().db, { userId: u.id });
    // The location came from no message: it is emptied, and only it.
    expect(r.emptied).toBe(1);
    const read = async () =>
      (
        await db().query<Record<string, unknown>>(
          `SELECT name, title, company, phones, links, location, field_sources FROM contacts WHERE id = $1`,
          [c!.id],
        )
      )[0]!;
    const after = await read();
    expect(after).toMatchObject({
      name: 'Dana Scully',
      title: 'Head of Partnerships',
      company: 'Scully Consulting',
      phones: [{ number: '+12065550142', type: 'mobile', extension: null }],
      // Enrichment's links are its own: the signature's add to them.
      links: {
        linkedin: 'https://www.linkedin.com/in/dana-scully',
        websites: ['https://garbage.test'],
      },
      location: null,
    });
    const sources = after.field_sources as Record<string, { source: string }>;
    expect(sources.name!.source).toBe('signature');
    expect(sources.links!.source).toBe('enrichment:github');
    expect(sources.location).toBeUndefined();

    // Run again over the same mail: what it found stands, nothing is emptied.
    const again = await reextractContacts(db().db, { userId: u.id });
    expect(again.emptied).toBe(0);
    const { field_sources: _, ...rest } = after;
    expect(await read()).toMatchObject(rest);
  });

  /** A message from `from`, signed with `company` under their name, or with a bare sign-off. */
  const note = (from: string, id: string, company?: string): Spec => {
    const name = from.split('<')[0]!.trim();
    return {
      from,
      to: OWNER,
      subject: `Note ${id}`,
      date: 'Mon, 5 Jan 2026 10:00:00 +0000',
      messageId: id,
      body: company
        ? `See the attached plan.\n\n${name}\nAccount Manager\n${company}\nPhone: (415) 555-01${id.slice(1, 3)}`
        : `See the attached plan.\n\nThanks`,
    };
  };
  const companies = async (userId: string) =>
    Object.fromEntries(
      (
        await db().query<{ email: string; company: string | null }>(
          `SELECT email, company FROM contacts WHERE user_id = $1`,
          [userId],
        )
      ).map((r) => [r.email, r.company]),
    );

  it('names a company guessed from a domain as the people of that domain sign it', async () => {
    const u = await createTestUser(db());
    const f = tempFile(
      'colleagues.mbox',
      mbox([
        // Two people at harborfinch.com sign one name; Carl signs nothing.
        note('Ann Lee <ann@harborfinch.com>', 'n10@x', 'Harbor & Finch LLP'),
        note('Bo Park <bo@harborfinch.com>', 'n11@x', 'Harbor & Finch LLP'),
        note('Carl Ode <carl@harborfinch.com>', 'n12@x'),
        // One person signs for quarrycap.com, as its name starts: enough.
        note('Fay Ruiz <fay@quarrycap.com>', 'n13@x', 'Quarry Capital'),
        note('Gil Moss <gil@quarrycap.com>', 'n14@x'),
        // One person signs a name unlike the domain's: not enough.
        note('Hal Ames <hal@atlasvc.com>', 'n15@x', 'Northwind Traders'),
        note('Ida Berg <ida@atlasvc.com>', 'n16@x'),
        // The people of splitco.com sign two names: the guess stays.
        note('Jo Kim <jo@splitco.com>', 'n17@x', 'Splitco Energy'),
        note('Kai Lu <kai@splitco.com>', 'n18@x', 'Splitco Broadband'),
        note('Lea Roy <lea@splitco.com>', 'n19@x'),
        note('Max Orr <max@harborfinch.com>', 'n20@x'),
      ]),
    );
    await importMbox({ db: db().db, userId: u.id, file: f, owners: [OWNER] });
    expect(await companies(u.id)).toMatchObject({
      'ann@harborfinch.com': 'Harbor & Finch LLP',
      'carl@harborfinch.com': 'Harbor & Finch LLP',
      'gil@quarrycap.com': 'Quarry Capital',
      'ida@atlasvc.com': 'Atlasvc',
      'lea@splitco.com': 'Splitco',
    });
    const [carl] = await db().query<{ id: string; field_sources: Record<string, object> }>(
      `SELECT id, field_sources FROM contacts WHERE user_id = $1 AND email = 'carl@harborfinch.com'`,
      [u.id],
    );
    // Still the domain's guess (a signature of Carl's own would replace it), now spelled out.
    expect(carl!.field_sources.company).toMatchObject({
      source: 'domain',
      evidence: 'as 2 colleagues at harborfinch.com sign it',
    });

    // The user's own word stands, and re-extraction comes to the same names.
    const [max] = await db().query<{ id: string }>(
      `SELECT id FROM contacts WHERE user_id = $1 AND email = 'max@harborfinch.com'`,
      [u.id],
    );
    await updateContact(db().db, u.id, max!.id, { company: 'HF (litigation)' });
    await reextractContacts(db().db, { userId: u.id });
    expect(await companies(u.id)).toMatchObject({
      'carl@harborfinch.com': 'Harbor & Finch LLP',
      'max@harborfinch.com': 'HF (litigation)',
      'gil@quarrycap.com': 'Quarry Capital',
      'ida@atlasvc.com': 'Atlasvc',
      'lea@splitco.com': 'Splitco',
    });
  });

  it('names them on an incremental sync too, and says so with contact.updated', async () => {
    const u = await createTestUser(db());
    const account = await ensureMailAccount(db().db, {
      userId: u.id,
      provider: 'mbox',
      owners: [OWNER],
    });
    const mailbox = { userId: u.id, accountId: account.id, source: 'mbox' as const };
    const sync = async (specs: Spec[]) =>
      storeMessages(
        db().db,
        { ...mailbox, owners: ownerSet(account) },
        await Promise.all(
          specs.map((s) => parseMessage({ raw: Buffer.from(message(s)), source: 'mbox' })),
        ),
        { perMessageEvents: true, recomputeStats: true, eventSource: 'sync' },
      );
    await sync([note('Carl Ode <carl@harborfinch.com>', 'n30@x')]);
    expect((await companies(u.id))['carl@harborfinch.com']).toBe('Harborfinch');
    await sync([
      note('Ann Lee <ann@harborfinch.com>', 'n31@x', 'Harbor & Finch LLP'),
      note('Bo Park <bo@harborfinch.com>', 'n32@x', 'Harbor & Finch LLP'),
    ]);
    expect((await companies(u.id))['carl@harborfinch.com']).toBe('Harbor & Finch LLP');
    const updated = await db().query<{ payload: { email: string } }>(
      `SELECT payload FROM events WHERE user_id = $1 AND type = 'contact.updated'`,
      [u.id],
    );
    expect(updated.map((e) => e.payload.email)).toEqual(['carl@harborfinch.com']);
  });
});
