import { Readable } from 'node:stream';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { malformedCases } from '../../../test/fuzz/malformed-mail';
import { generateMailbox } from '../demo/generate-mailbox';
import { readMbox } from './mbox-reader';
import { parseSimpleMime } from './simple-mime';

const LIMIT = 512 * 1024;

/** What postal-mime makes of a message, as parseSimpleMime returns it (no raw header lines). */
async function postal(raw: Uint8Array) {
  const email = await PostalMime.parse(raw, {
    attachmentEncoding: 'arraybuffer',
    maxNestingDepth: 50,
    maxHeadersSize: LIMIT,
  });
  const { headerLines: _lines, ...rest } = email;
  return rest;
}

const bytes = (parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** Single text parts in the shapes real mail takes, each read directly. */
const SIMPLE: [string, Buffer][] = [
  [
    'LF',
    bytes(['From: Dana <dana@x.com>\nTo: a@y.com, "B, C" <b@y.com>\nSubject: Hi\n\nHello.\n']),
  ],
  [
    'CRLF',
    bytes([
      'From: d@x.com\r\nSubject: Hi\r\nDate: Tue, 3 Feb 2026 09:15:00 +0100\r\n\r\nA\r\nB\r\n',
    ]),
  ],
  [
    'trailing CRs and no final newline',
    bytes(['From: d@x.com\r\r\nSubject: x\r\n\r\r\nline\r\r\nlast']),
  ],
  [
    'folded and encoded headers',
    bytes([
      'From: =?UTF-8?B?QmrDtnJu?= <b@x.com>\nSubject: =?iso-8859-1?Q?caf=E9?=\n plans\nCc: a@x.com,\n\tb@x.com\n\nx\n',
    ]),
  ],
  [
    'quoted-printable',
    bytes([
      'From: d@x.com\nContent-Type: text/plain; charset="ISO-8859-1"\nContent-Transfer-Encoding: Quoted-Printable\n\nCaf=E9 soft=\nbreak =ZZ bad =4\nend=\n',
    ]),
  ],
  [
    '8-bit Latin-1',
    bytes([
      'From: d@x.com\nContent-Type: TEXT/PLAIN; CHARSET=iso-8859-1; name=x\nContent-Transfer-Encoding: 8bit\n\n',
      [0x63, 0x61, 0x66, 0xe9, 0x0a],
    ]),
  ],
  [
    'HTML',
    bytes(['From: d@x.com\nContent-Type: text/html; charset=us-ascii\n\n<p>Hi <b>there</b></p>\n']),
  ],
  ['headers only', bytes(['From: d@x.com\nSubject: nothing else\n'])],
  ['empty body', bytes(['From: d@x.com\nSubject: x\n\n'])],
  [
    'byte order mark and invalid UTF-8',
    bytes(['From: d@x.com\n\n', [0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42, 0x0a]]),
  ],
  [
    'raw UTF-8 header and a line without a colon',
    bytes(['From: Zoë <z@x.com>\nGarbage line\nSubject: ok\n\nbody\n']),
  ],
  [
    'duplicate headers',
    bytes([
      'From: a@x.com\nFrom: b@x.com\nTo: c@x.com\nTo: d@x.com\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n',
    ]),
  ],
];

/** Shapes postal-mime's own machinery reads. */
const OTHERS: [string, Buffer][] = [
  [
    'multipart',
    bytes(['From: d@x.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n']),
  ],
  ['base64', bytes(['From: d@x.com\nContent-Transfer-Encoding: base64\n\nSGk=\n'])],
  ['flowed', bytes(['From: d@x.com\nContent-Type: text/plain; format=flowed\n\nsoft \nwrap\n'])],
  ['attachment', bytes(['From: d@x.com\nContent-Disposition: attachment; filename=a.txt\n\nx\n'])],
  ['comment', bytes(['From: d@x.com\nContent-Type: text/plain (note); charset=utf-8\n\nx\n'])],
  ['continuation', bytes(["From: d@x.com\nContent-Type: text/plain; charset*=utf-8''x\n\nx\n"])],
  ['other charset', bytes(['From: d@x.com\nContent-Type: text/plain; charset=utf-16\n\nx\n'])],
  ['no header', bytes(['\nbody only\n'])],
  // postal-mime keeps any blank but space and tab in the type: not text/plain, an attachment.
  [
    'no-break space after the type',
    bytes(['From: d@x.com\nContent-Type: text/plain\u00a0\n\nx\n']),
  ],
  ['vertical tab before the type', bytes(['From: d@x.com\nContent-Type: \vtext/plain\n\nx\n'])],
];

/** Content headers with every kind of blank and stray character around their parts. */
function contentHeaderVariants() {
  const blanks = [' ', '\t', '', '\u00a0', '\ufeff', '\v', '\f', '\u2028', '\u3000'];
  const out: Uint8Array[] = [];
  for (const a of blanks)
    for (const b of blanks)
      for (const type of ['text/plain', 'TEXT/HTML', 'text/plain;', 'text/plain; charset=utf-8']) {
        out.push(bytes([`From: d@x.com\nContent-Type: ${a}${type}${b}\n\nbody\n`]));
        out.push(
          bytes([`From: d@x.com\nContent-Type: text/plain;${a}charset=${b}us-ascii\n\nbody\n`]),
        );
        out.push(bytes([`From: d@x.com\nContent-Transfer-Encoding:${a}8bit${b}\n\nbody\n`]));
      }
  return out;
}

async function corpus() {
  const out: Uint8Array[] = [...contentHeaderVariants()];
  for (const m of generateMailbox({
    seed: 5,
    messages: 300,
    owner: { email: 'me@o.test', name: 'Me Owner' },
  }))
    out.push(Buffer.from(m.raw));
  for (const c of malformedCases({
    seed: 23,
    cases: 400,
    maxMessageBytes: 128 * 1024,
    maxRunBytes: 4 * 1024,
    hugeCases: 0,
  })) {
    for await (const e of readMbox(Readable.from([c.bytes])))
      if (e.kind === 'message') out.push(e.raw);
  }
  return out;
}

describe('parseSimpleMime', () => {
  it('reads a single text part into exactly what postal-mime returns for it', async () => {
    for (const [name, raw] of SIMPLE) {
      const email = parseSimpleMime(raw, LIMIT);
      expect(email, name).not.toBeNull();
      expect(email, name).toEqual(await postal(raw));
    }
  });

  it('leaves multipart, base64, flowed, attachment and unusual headers to postal-mime', () => {
    for (const [name, raw] of OTHERS) expect(parseSimpleMime(raw, LIMIT), name).toBeNull();
  });

  it('agrees with postal-mime on generated and fuzzed mail wherever it reads a message', async () => {
    let read = 0;
    const messages = await corpus();
    for (const [k, raw] of messages.entries()) {
      const email = parseSimpleMime(raw, LIMIT);
      if (!email) continue;
      read++;
      expect(email, `message ${k}`).toEqual(await postal(raw));
    }
    // The generated mail is mostly single text parts: the comparison is not vacuous.
    expect(read).toBeGreaterThan(messages.length / 2);
  });
});
