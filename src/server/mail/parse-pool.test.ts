import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { message } from '../../../test/fixtures/mbox-builder';
import { malformedCases } from '../../../test/fuzz/malformed-mail';
import { contactCandidates, messageEvidence } from '../contacts/contact-candidates';
import { generateMailbox } from '../demo/generate-mailbox';
import { emailRowFields } from './email-row';
import { readMbox } from './mbox-reader';
import { parseMessage, type RawMessage } from './parse-message';
import { IN_THREAD_MAX_LINES, messageParser, ParsePool } from './parse-pool';

const input = (body: string, subject = 'x') => ({
  raw: Buffer.from(message({ from: 'a@x.com', subject, body })),
  source: 'mbox' as const,
});
/**
 * Some 13 s of postal-mime on a worker (about 6.5 µs a line), four times the limit below
 * (1 s plus 1 s a MB for its 2 MB), so a machine several times faster still times it out; a
 * faster one may instead fill the worker's heap first, which rejects it all the same.
 */
const slow = () => ({
  // A MIME part (postal-mime reads it line by line; a single text part is read at once).
  raw: Buffer.from(
    `From: a@x.com\nSubject: slow\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n${'\n'.repeat(200 * IN_THREAD_MAX_LINES)}--b--\n`,
  ),
  source: 'mbox' as const,
});

/** Parts of every transfer encoding postal-mime decodes (each decoder builds a Blob). */
const MIME = [
  'From: "Zoë Ämberg" <zoe@x.com>',
  'To: =?UTF-8?B?QmrDtnJu?= <bjorn@y.com>',
  'Subject: =?iso-8859-1?Q?caf=E9_plans?=',
  'Date: Tue, 3 Feb 2026 09:15:00 +0100',
  'Message-ID: <mime-1@x.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Caf=E9 at nine? Long line that is soft-=',
  'wrapped here.',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<p>Café at <b>nine</b>?</p>').toString('base64'),
  '--inner--',
  '--outer',
  'Content-Type: application/pdf; name="plan.pdf"',
  'Content-Disposition: attachment; filename="plan.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 not really').toString('base64'),
  '--outer',
  'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Flowed text that goes ',
  'on and on.',
  '--outer--',
  '',
].join('\r\n');

/** Generated mail, MIME of every encoding and malformed cases from the fuzzer, as the importer reads them. */
async function corpus(): Promise<RawMessage[]> {
  const out: RawMessage[] = [{ raw: Buffer.from(MIME), source: 'mbox' }];
  for (const m of generateMailbox({
    seed: 7,
    messages: 100,
    owner: { email: 'me@owner.test', name: 'Me' },
  })) {
    out.push({ raw: Buffer.from(m.raw), source: 'mbox', envelopeDate: m.date });
  }
  for (const c of malformedCases({
    seed: 11,
    cases: 150,
    maxMessageBytes: 256 * 1024,
    maxRunBytes: 4 * 1024,
    hugeCases: 0,
  })) {
    for await (const e of readMbox(Readable.from([c.bytes]))) {
      if (e.kind === 'message')
        out.push({ raw: e.raw, source: 'mbox', envelopeDate: e.envelopeDate });
    }
  }
  return out;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (err: Error) => ({ error: `${err.name}: ${err.message}` }),
  );

describe('ParsePool', () => {
  it('parses every message exactly as this thread does (the worker’s fast Blob included)', async () => {
    const inputs = await corpus();
    expect(inputs.length).toBeGreaterThan(250);
    const pool = new ParsePool({ size: 1 });
    try {
      const onWorker = await Promise.all(inputs.map((i) => outcome(pool.parse(i))));
      for (const [k, input] of inputs.entries()) {
        expect(onWorker[k], `message ${k}`).toEqual(await outcome(parseMessage(input)));
      }
      // The MIME message went through every decoder: its parts came out decoded.
      expect(onWorker[0]).toMatchObject({
        value: {
          subject: 'café plans',
          to: [{ name: 'Björn', email: 'bjorn@y.com' }],
          html: expect.stringContaining('<p>Café at <b>nine</b>?</p>'),
          attachments: [{ filename: 'plan.pdf', size: 19 }],
        },
      });
      expect((onWorker[0] as { value: { text: string } }).value.text).toContain(
        'Long line that is soft-wrapped here.',
      );
    } finally {
      await pool.close();
    }
  });

  it('prepares each message for storing beside the parse: contact evidence and row, as the store would', async () => {
    // One person under two names: the name they give themselves (From) outweighs two others typed.
    const named = [
      { from: 'Dana Scully <dana@x.com>', to: 'me@owner.test' },
      { from: 'me@owner.test', to: 'Dana S <dana@x.com>' },
      { from: 'me@owner.test', to: 'Dana S <dana@x.com>' },
    ].map((spec) => ({ raw: Buffer.from(message(spec)), source: 'mbox' as const }));
    const inputs = [...(await corpus()), ...named];
    const owners = ['me@owner.test'];
    const pool = new ParsePool({ size: 1 });
    try {
      const parsed = await Promise.all(
        inputs.map((i) => pool.parse({ ...i, prepareFor: { owners } }).catch(() => null)),
      );
      const messages = parsed.filter((m) => m !== null);
      expect(messages.length).toBeGreaterThan(100);
      const signed = messages.filter((m) => m.evidence?.signature);
      expect(signed.length).toBeGreaterThan(10);
      const inThread = await Promise.all(inputs.map((i) => parseMessage(i).catch(() => null))).then(
        (all) => all.filter((m) => m !== null),
      );
      expect(inThread.length).toBe(messages.length);
      for (const [k, m] of messages.entries()) {
        const { evidence, row, ...rest } = m;
        const plain = inThread[k]!;
        expect(rest).toEqual({ ...plain, text: null, html: null });
        expect(evidence).toEqual(messageEvidence(plain, new Set(owners)));
        expect(row).toBe(emailRowFields(plain));
      }
      // The candidates read from the evidence are those read from the messages themselves.
      const plain = inThread;
      const set = new Set(owners);
      const candidates = contactCandidates(messages, set);
      expect(candidates).toEqual(contactCandidates(plain, set));
      expect(candidates.find((c) => c.email === 'dana@x.com')?.name).toBe('Dana Scully');
    } finally {
      await pool.close();
    }
  });

  it('rejects a message that takes too long, alone: the ones queued behind it go to a new worker', async () => {
    const pool = new ParsePool({ size: 1, timeoutMs: 1000 });
    try {
      const [before, stuck, after] = await Promise.allSettled([
        pool.parse(input('before', 'before')),
        pool.parse(slow()),
        pool.parse(input('after', 'after')),
      ]);
      expect(before).toMatchObject({ status: 'fulfilled', value: { subject: 'before' } });
      expect(stuck).toMatchObject({
        status: 'rejected',
        reason: {
          name: 'MessageParseError',
          message: expect.stringMatching(/^parse (timed out|ran out of memory)/),
        },
      });
      expect(after).toMatchObject({ status: 'fulfilled', value: { subject: 'after' } });
    } finally {
      await pool.close();
    }
  });
});

describe('messageParser', () => {
  it('parses ordinary messages on this thread, and a long one on a worker, with the time limit', async () => {
    const parser = messageParser({ parallel: false, timeoutMs: 1000 });
    try {
      await expect(parser.parse(input('short'))).resolves.toMatchObject({ text: 'short\n' });
      await expect(parser.parse(slow())).rejects.toThrow(
        /^parse timed out after 2\.9 s$|^parse ran out of memory \(over 512 MB\)$/,
      );
      await expect(parser.parse(input('again'))).resolves.toMatchObject({ text: 'again\n' });
    } finally {
      await parser.close();
    }
  });
});
