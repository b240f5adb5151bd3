import { describe, expect, it } from 'vitest';
import { message } from '../../../test/fixtures/mbox-builder';
import { MessageParseError, parseMessage, searchSafe } from './parse-message';
import { normaliseEmail } from './addresses';
import { normaliseSubject } from './subject';

const parse = (raw: string, envelopeDate?: Date) =>
  parseMessage({ raw: Buffer.from(raw), source: 'mbox', envelopeDate });

describe('parseMessage', () => {
  it('normalises addresses, ids, threading headers and the date with its timezone', async () => {
    const m = await parse(
      message({
        from: '"Dasovich, Jeff" <Jeff.Dasovich@ENRON.com>',
        to: 'a@x.com, Team: b@x.com, c@x.com;',
        cc: 'undisclosed-recipients:;',
        subject: '=?iso-8859-1?q?caf=E9?= plans',
        date: 'Mon, 14 May 2001 16:39:00 -0700 (PDT)',
        messageId: 'abc@x',
        inReplyTo: 'p2@x',
        references: '<p1@x> <p2@x>',
      }),
    );
    expect(m.from).toEqual({ email: 'jeff.dasovich@enron.com', name: 'Dasovich, Jeff' });
    expect(m.to.map((a) => a.email)).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
    expect(m.cc).toEqual([]);
    expect(m.subject).toBe('café plans');
    expect(m.sentAt?.toISOString()).toBe('2001-05-14T23:39:00.000Z');
    expect(m).toMatchObject({ messageId: 'abc@x', providerMessageId: 'abc@x', inReplyTo: 'p2@x' });
    expect(m.references).toEqual(['p1@x', 'p2@x']);
  });

  it('reads a 3-digit year as RFC 5322 says, and replaces absurd dates with the envelope date', async () => {
    const old = await parse(message({ from: 'a@x.com', date: 'Tue, 3 Sep 102 10:00:00 +0000' }));
    expect(old.sentAt?.toISOString()).toBe('2002-09-03T10:00:00.000Z');
    const envelope = new Date('2002-01-01T00:00:00Z');
    const future = await parse(
      message({ from: 'a@x.com', date: 'Sat, 1 Jan 2089 00:00:00 +0000' }),
      envelope,
    );
    expect(future.sentAt).toEqual(envelope);
    const none = await parse(message({ from: 'a@x.com' }));
    expect(none.sentAt).toBeNull();
  });

  it('takes display names from Enron X-From / X-To headers and folders as labels', async () => {
    const m = await parse(
      message({
        from: 'phillip.allen@enron.com',
        to: 'tim.belden@enron.com, john.lavorato@enron.com',
        headers: {
          'X-From': 'Phillip K Allen',
          'X-To':
            'Tim Belden </O=ENRON/OU=NA/CN=RECIPIENTS/CN=TBELDEN>, John J Lavorato </O=ENRON/CN=JLAVORA>',
          'X-Folder': '\\Phillip_Allen_Dec2000\\Notes Folders\\Sent',
          'X-Gmail-Labels': 'Inbox,"Work, Important"',
        },
      }),
    );
    expect(m.from?.name).toBe('Phillip K Allen');
    expect(m.to.map((a) => a.name)).toEqual(['Tim Belden', 'John J Lavorato']);
    expect(m.labels).toEqual(['Inbox', 'Work, Important', 'Sent']);
  });

  it('derives text from HTML-only mail and keeps attachment metadata without bodies', async () => {
    const raw = [
      'From: a@x.com',
      'Subject: report',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><p>Second</p></body></html>',
      '--b',
      'Content-Type: application/pdf; name="q3.pdf"',
      'Content-Disposition: attachment; filename="q3.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 fake').toString('base64'),
      '--b--',
      '',
    ].join('\n');
    const m = await parse(raw);
    expect(m.text).toBe('Hello there\nSecond');
    expect(m.attachments).toEqual([
      expect.objectContaining({ filename: 'q3.pdf', mimeType: 'application/pdf', size: 13 }),
    ]);
  });

  it('gives the same content key to one message filed under different Message-IDs', async () => {
    const base = {
      from: 'a@x.com',
      subject: 'RE: Plan',
      date: 'Mon, 14 May 2001 16:39:00 -0700',
      body: 'Same  body\n',
    };
    const a = await parse(message({ ...base, messageId: 'one@x' }));
    const b = await parse(
      message({ ...base, messageId: 'two@x', subject: 'Re: plan', body: 'Same body' }),
    );
    expect(a.contentKey).toBe(b.contentKey);
    const c = await parse(message({ ...base, messageId: 'three@x', body: 'Other body' }));
    expect(c.contentKey).not.toBe(a.contentKey);
  });

  it('names a message without Message-ID by its content hash', async () => {
    const m = await parse(message({ from: 'a@x.com', messageId: null }));
    expect(m.providerMessageId).toBe(`sha1:${m.contentKey}`);
  });

  it('rejects input that is not an email, with a reason', async () => {
    await expect(parse('\u0000\u0001 binary junk with no headers')).rejects.toThrow(
      MessageParseError,
    );
    await expect(parse('just some text\n\nmore text')).rejects.toThrow(/no From, To, Date/);
  });
});

describe('parseMessage on hostile input', () => {
  const long = (n: number) => 'é字'.repeat(n / 2);

  it('bounds what the database indexes: ids, subjects, addresses and names', async () => {
    const id = `${long(4000)}@x`;
    const m = await parse(
      message({
        from: `"${long(4000)}" <a@x.com>`,
        to: `${'b'.repeat(300)}@x.com, c@x.com`,
        subject: long(10_000),
        messageId: id,
        inReplyTo: id,
        headers: { 'X-GM-THRID': long(3000) },
      }),
    );
    // An over-long id becomes its hash: still one key, so a reply still finds its parent.
    expect(m.messageId).toMatch(/^sha1-id:[0-9a-f]{40}$/);
    expect(m.inReplyTo).toBe(m.messageId);
    expect(m.providerThreadId).toMatch(/^sha1-id:/);
    expect(m.from).toEqual({ email: 'a@x.com', name: null });
    expect(m.to.map((a) => a.email)).toEqual(['c@x.com']);
    expect(m.subject!.length).toBeLessThanOrEqual(2000);
    expect(normaliseSubject(m.subject).length).toBeLessThanOrEqual(200);
  });

  it('lets no NUL out, however it was encoded', async () => {
    const m = await parse(
      message({
        from: '=?utf-8?Q?Dana=00_Scully?= <dana@x.com>',
        to: 'a\u0000b@x.com, c@x.com',
        subject: 'a\u0000b =?utf-8?B?YwBk?=',
        headers: { 'Content-Transfer-Encoding': 'quoted-printable' },
        body: 'one=00two\u0000three',
      }),
    );
    expect(JSON.stringify(m)).not.toContain('\\u0000');
    expect(m).toMatchObject({ subject: 'ab cd', text: 'onetwothree\n' });
    expect(normaliseEmail('a\u0001b@x.com')).toBeNull();
  });

  it('leaves out addresses whose local part starts or ends with a dot, keeping doubled dots', async () => {
    const m = await parse(
      message({
        from: 'eldon@direcpc.com',
        to: 'e-mail <.bill@enron.com>, e-mail <andy.@enron.com>, jeff.dasovich@enron.com, k..allen@enron.com',
        subject: 'Picks of the week',
      }),
    );
    expect(m.to.map((a) => a.email)).toEqual(['jeff.dasovich@enron.com', 'k..allen@enron.com']);
  });
});

describe('searchSafe', () => {
  it('leaves real mail alone', () => {
    const text = `Hi,\n<!-- a stray comment\nsee https://example.com/${'a'.repeat(3000)} and x@y.com\n`;
    expect(searchSafe(text)).toBe(text);
  });

  it('defuses what PostgreSQL’s text search parser is quadratic on', () => {
    const comments = searchSafe(`ok <!-- x --> ${'<!-- y '.repeat(20_000)}`);
    expect(comments.startsWith('ok <!-- x --> !-- y ')).toBe(true);
    expect(comments).not.toMatch(/<!-- y/);
    const [at, under] = ['a@1'.repeat(5000), 'x_'.repeat(3000)];
    const words = searchSafe(`Hi ${at} and ${under}`);
    expect(words).toBe(`Hi ${at.slice(0, 64)}… and ${under.slice(0, 64)}…`);
  });

  it('reads words as regular expressions do: any Unicode space ends one', () => {
    // Ten 1,000-character words cost 10 M, under the budget; read as one word they would not be.
    const words = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(1000));
    for (const space of ['\u3000', '\u00a0', '\u2028', '\ufeff', '\v']) {
      const text = words.join(space);
      expect(searchSafe(text)).toBe(text);
      expect(searchSafe(`${text}${'z'.repeat(3000)}`)).not.toBe(`${text}${'z'.repeat(3000)}`);
    }
  });
});
