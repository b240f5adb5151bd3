// Malformed mail for the ingestion fuzzer: valid generated messages (the demo mailbox, wrapped
// in the usual MIME shapes), mutated the ways real archives and hostile senders break them, and
// written as mbox. fast-check draws each case's plan from the run's seed, and the case's own
// seeded PRNG its details: the same seed gives the same bytes.
import zlib from 'node:zlib';
import fc from 'fast-check';
import { asctime, generateMailbox, type GeneratedMessage } from '@/server/demo/generate-mailbox';
import { Random } from '@/server/demo/random';

export const FUZZ_OWNER = { email: 'owner@rapport.test', name: 'Olive Owner' };

export type FuzzOptions = {
  seed: number;
  cases: number;
  /** The importer's size cap: huge cases are made just under and just over it. */
  maxMessageBytes: number;
  /** The longest pathological run (blank lines, `<`, a header…) in an ordinary case. */
  maxRunBytes: number;
  /** Cases with a body near or over maxMessageBytes, spread over the run. */
  hugeCases: number;
};

export type FuzzCase = {
  index: number;
  /** What was done to it: `mutation:variant` names. */
  mutations: string[];
  /** mbox bytes: envelope line(s) and mboxrd-quoted message(s), ending with a blank line. */
  bytes: Buffer;
  /** Messages the mbox reader must find in `bytes` (an unquoted envelope line splits one). */
  entries: number;
  /** Which of those entries is the case's message (an empty entry may come first). */
  mainEntry: number;
  /** The sender's address when its From header was left intact, else null. */
  sender: string | null;
  /** No mutation at all: it must be stored. */
  valid: boolean;
};

/** A message as byte strings (latin1: one char per byte, so any byte survives). */
type Msg = { head: string[]; body: string; sep: string };

type Ctx = {
  r: Random;
  opts: FuzzOptions;
  fromTouched: boolean;
  variant: string;
  /** Earlier cases' messages, for duplicates. */
  previous: string[];
  bases: Base[];
};

type Base = GeneratedMessage & { msg: Msg };

const NOW = new Date('2026-06-01T00:00:00Z');

// ---------------------------------------------------------------- byte-string helpers

const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** Base64 in lines of `width` (0: one line). */
function b64(bytes: string, width = 76) {
  const s = Buffer.from(bytes, 'latin1').toString('base64');
  return width ? s.replace(new RegExp(`.{${width}}`, 'g'), '$&\n') : s;
}

function qp(bytes: string) {
  let out = '';
  let col = 0;
  for (const ch of bytes) {
    const c = ch.charCodeAt(0);
    const enc =
      ch === '\n'
        ? '\n'
        : c < 32 || c > 126 || ch === '='
          ? `=${c.toString(16).toUpperCase().padStart(2, '0')}`
          : ch;
    if (enc === '\n') col = 0;
    else if (col + enc.length > 75) {
      out += '=\n';
      col = 0;
    }
    out += enc;
    if (enc !== '\n') col += enc.length;
  }
  return out;
}

function bytesOf(r: Random, n: number) {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(0, 255));
  return s;
}

/** Incompressible text, as UTF-8 bytes: ASCII, Latin, CJK and astral characters. */
function unicodeText(r: Random, chars: number) {
  let s = '';
  for (let i = 0; i < chars; i++) {
    const k = r.int(0, 3);
    const cp =
      k === 0
        ? r.int(0x21, 0x7e)
        : k === 1
          ? r.int(0xc0, 0x24f)
          : k === 2
            ? r.int(0x4e00, 0x9fff)
            : r.int(0x1f300, 0x1faff);
    s += String.fromCodePoint(cp);
  }
  return utf8(s);
}

function asciiToken(r: Random, n: number) {
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += a[r.int(0, a.length - 1)];
  return s;
}

/** Log-uniform size: small ones often, big ones sometimes. */
const sizeIn = (r: Random, min: number, max: number) =>
  Math.round(Math.exp(Math.log(min) + r.next() * (Math.log(Math.max(min, max)) - Math.log(min))));

// ---------------------------------------------------------------- message model

function toMsg(raw: string): Msg {
  const end = raw.indexOf('\n\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  return { head: head.split('\n'), body: end < 0 ? '' : raw.slice(end + 2), sep: '\n\n' };
}

const serialise = (m: Msg) => `${m.head.join('\n')}${m.sep}${m.body}`;

function findHeader(m: Msg, name: string) {
  const prefix = `${name.toLowerCase()}:`;
  return m.head.findIndex((l) => l.toLowerCase().startsWith(prefix));
}

function setHeader(m: Msg, name: string, value: string) {
  const i = findHeader(m, name);
  if (i >= 0) m.head[i] = `${name}: ${value}`;
  else m.head.push(`${name}: ${value}`);
}

function removeHeader(m: Msg, name: string) {
  const prefix = `${name.toLowerCase()}:`;
  m.head = m.head.filter((l) => !l.toLowerCase().startsWith(prefix));
}

function setContent(m: Msg, type: string, body: string, encoding?: string) {
  removeHeader(m, 'Content-Type');
  removeHeader(m, 'Content-Transfer-Encoding');
  m.head.push(`Content-Type: ${type}`);
  if (encoding) m.head.push(`Content-Transfer-Encoding: ${encoding}`);
  m.body = body;
}

const part = (headers: string[], body: string) => `${headers.join('\n')}\n\n${body}`;

function multipart(boundary: string, parts: string[], close = true) {
  return `This is a multi-part message in MIME format.\n\n${parts
    .map((p) => `--${boundary}\n${p}\n`)
    .join('')}${close ? `--${boundary}--\n` : ''}`;
}

function plainText(m: Msg) {
  return m.body || 'Hello.\n';
}

// ---------------------------------------------------------------- valid shapes

/** Wraps a generated single-part message in one of the usual MIME shapes. */
const SHAPES: Record<string, (m: Msg, ctx: Ctx) => void> = {
  plain: () => {},
  alternative: (m, { r }) => {
    const text = plainText(m);
    const html = `<html><body><p>${text.replace(/\n/g, '<br>\n')}</p></body></html>`;
    const b = `alt-${asciiToken(r, 12)}`;
    setContent(
      m,
      `multipart/alternative; boundary="${b}"`,
      multipart(b, [
        part(
          [
            'Content-Type: text/plain; charset=utf-8',
            'Content-Transfer-Encoding: quoted-printable',
          ],
          qp(text),
        ),
        part(
          ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'],
          b64(html),
        ),
      ]),
    );
  },
  attachment: (m, { r }) => {
    const b = `mix-${asciiToken(r, 12)}`;
    setContent(
      m,
      `multipart/mixed; boundary="${b}"`,
      multipart(b, [
        part(
          ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
          plainText(m),
        ),
        part(
          [
            'Content-Type: application/pdf; name="report.pdf"',
            "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf",
            'Content-Transfer-Encoding: base64',
          ],
          b64(bytesOf(r, sizeIn(r, 100, 20_000))),
        ),
      ]),
    );
  },
  forward: (m, { r, bases }) => {
    const inner = serialise(r.pick(bases).msg);
    const b = `fwd-${asciiToken(r, 12)}`;
    setContent(
      m,
      `multipart/mixed; boundary="${b}"`,
      multipart(b, [
        part(['Content-Type: text/plain; charset=utf-8'], `${plainText(m)}\nForwarded below.\n`),
        part(['Content-Type: message/rfc822', 'Content-Disposition: inline'], inner),
      ]),
    );
  },
  latin1: (m) => {
    const text = Buffer.from(m.body, 'latin1')
      .toString('utf8')
      .replace(/[\u{100}-\u{10ffff}]/gu, '?');
    setContent(
      m,
      'text/plain; charset=iso-8859-1',
      `${text}\nCaf\xe9 cr\xe8me, \xfcber.\n`,
      '8bit',
    );
    setHeader(m, 'Subject', `=?iso-8859-1?q?Caf=E9?= ${headerValue(m, 'Subject')}`);
  },
};

function headerValue(m: Msg, name: string) {
  const i = findHeader(m, name);
  return i < 0 ? '' : m.head[i]!.slice(name.length + 1).trim();
}

// ---------------------------------------------------------------- mutations

type Mutation = {
  name: string;
  weight: number;
  /** On the message model, or on its serialised bytes (after every model mutation). */
  phase: 'msg' | 'raw';
  apply(m: Msg, ctx: Ctx): void;
  applyRaw?(raw: string, ctx: Ctx): string;
};

function variant<T>(ctx: Ctx, options: Record<string, T>): [string, T] {
  const key = ctx.r.pick(Object.keys(options));
  ctx.variant = key;
  return [key, options[key]!];
}

/** Body text made to be slow for a regular expression or a line-by-line parser. */
function hostileRun(ctx: Ctx): { text: string; html: boolean } {
  const { r } = ctx;
  const n = sizeIn(r, 256, ctx.opts.maxRunBytes);
  const lines = Math.max(64, n >> 1); // the MIME parser's cost is per line
  const rep = (s: string, bytes: number) => s.repeat(Math.max(1, Math.floor(bytes / s.length)));
  const [, make] = variant(ctx, {
    'blank-lines': () => ({ text: `Hi\n${rep('\n', lines)}x\n`, html: false }),
    'space-lines': () => ({ text: `Hi\n${rep('  \n', lines)}x\n`, html: false }),
    'whitespace-run': () => ({ text: `Hi ${rep(' \t\u00a0 ', n)}x\n`, html: false }),
    'formfeed-lines': () => ({ text: `Hi\n${rep('\f\n', lines)}x\n`, html: false }),
    'lt-run': () => ({ text: `<p>${rep('<', n)}</p>`, html: true }),
    'comment-run': () => ({ text: `<p>a</p>${rep('<!--', n)}`, html: true }),
    'script-run': () => ({ text: `<p>a</p>${rep('<script>', n)}`, html: true }),
    'td-run': () => ({ text: `<table>${rep('<td', n)}`, html: true }),
    'br-spaces': () => ({ text: `<br${rep(' ', n)}x`, html: true }),
    'entity-run': () => ({ text: `&#x${rep('f', n)}&${rep('a', n)}`, html: true }),
    'paren-run': () => ({ text: `Hello\n\n-- \n${rep('(', n)}\n`, html: false }),
    'dotted-token': () => ({ text: `Hello\n\n-- \nJo\n${rep('a.', n)}\n`, html: false }),
    'long-token': () => ({ text: `Hello\n\n-- \nJo\n${asciiToken(r, n)}\n`, html: false }),
    'digit-line': () => ({ text: `Hello\n\n-- \nJo\n${rep('5551234 ', n)}\n`, html: false }),
    'dash-lines': () => ({ text: `Hello\n${rep('--\n', lines)}`, html: false }),
    'quote-lines': () => ({ text: `Hello\n${rep('> \n', lines)}`, html: false }),
    'on-lines': () => ({ text: `Hello\n${rep('On x\n', lines)}`, html: false }),
    'from-sent-lines': () => ({ text: `Hello\n${rep('From: x\n  \n', lines)}`, html: false }),
    'lotus-lines': () => ({ text: `Hello\n${rep('ab \n', lines)}`, html: false }),
    // Shapes PostgreSQL's text search parser is quadratic on (the search column indexes the text).
    'comment-text': () => ({ text: `Hello\n${rep('<!-- x ', n)}`, html: false }),
    'at-word': () => ({ text: `Hello ${rep('a@1', n)}\n`, html: false }),
    'at-words': () => ({ text: `Hello ${rep(`${'a@1'.repeat(40)} `, n)}\n`, html: false }),
    'underscore-word': () => ({ text: `Hello ${rep('a_', n)}\n`, html: false }),
    'path-word': () => ({ text: `Hello ${rep('./', n)}\n`, html: false }),
  });
  return make();
}

const MUTATIONS: Mutation[] = [
  {
    name: 'broken-boundary',
    weight: 10,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const b = `b-${asciiToken(r, 8)}`;
      const text = part(['Content-Type: text/plain'], plainText(m));
      const html = part(['Content-Type: text/html'], '<p>hello</p>');
      const [, make] = variant<() => [string, string]>(ctx, {
        missing: () => ['multipart/mixed', multipart(b, [text, html])],
        mismatch: () => [`multipart/mixed; boundary="${b}x"`, multipart(b, [text, html])],
        unclosed: () => [`multipart/mixed; boundary="${b}"`, multipart(b, [text, html], false)],
        empty: () => ['multipart/mixed; boundary=""', multipart('', [text, html])],
        'reused-by-child': () => [
          `multipart/mixed; boundary="${b}"`,
          multipart(b, [
            part([`Content-Type: multipart/alternative; boundary="${b}"`], multipart(b, [text])),
            html,
          ]),
        ],
        repeated: () => [
          `multipart/mixed; boundary="${b}"`,
          `${`--${b}\n`.repeat(r.int(2, 2000))}${multipart(b, [text])}`,
        ],
        'in-content': () => [
          `multipart/mixed; boundary="${b}"`,
          multipart(b, [part(['Content-Type: text/plain'], `--${b}\nnot a part\n--${b}--x`), html]),
        ],
        'too-long': () => {
          const long = asciiToken(r, sizeIn(r, 71, 5000));
          return [`multipart/mixed; boundary="${long}"`, multipart(long, [text])];
        },
        'odd-chars': () => {
          const odd = `a b"c\\d\u00e9=?;`;
          return [`multipart/mixed; boundary=${odd}`, multipart(odd, [text])];
        },
        'no-parts': () => [`multipart/mixed; boundary="${b}"`, 'just a preamble\n'],
      });
      const [type, body] = make();
      setContent(m, type, body);
    },
  },
  {
    name: 'bad-charset',
    weight: 8,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const garbage = bytesOf(r, sizeIn(r, 16, 4000));
      const [, [charset, body, enc]] = variant(ctx, {
        unknown: ['x-klingon', plainText(m), '8bit'],
        'utf8-invalid': ['utf-8', garbage, '8bit'],
        'shift-jis-garbage': ['shift_jis', garbage, '8bit'],
        'iso-2022-jp-broken': ['iso-2022-jp', `\x1b$B${garbage}\x1b(`, '7bit'],
        'utf16-odd': ['utf-16', b64(`\xff\xfe${garbage}x`), 'base64'],
        'utf7-garbage': ['utf-7', `+${garbage}-`, '7bit'],
        'gb18030-garbage': ['gb18030', garbage, '8bit'],
        'huge-name': [asciiToken(r, sizeIn(r, 100, 8000)), plainText(m), '8bit'],
        'nul-name': ['utf\x00-8', plainText(m), '8bit'],
        quoted: ['"utf-8\\"', plainText(m), '8bit'],
        'ebcdic-html': ['cp037', `<p>${garbage}</p>`, '8bit'],
      } as Record<string, [string, string, string]>);
      const type = ctx.variant === 'ebcdic-html' ? 'text/html' : 'text/plain';
      setContent(m, `${type}; charset=${charset}`, body, enc);
    },
  },
  {
    name: 'bad-encoded-word',
    weight: 7,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const [, word] = variant(ctx, {
        'bad-base64': '=?utf-8?B?!!!*&^%$?=',
        'bad-qp': '=?utf-8?Q?=ZZ=?=',
        'unknown-charset': '=?x-unknown?B?SGVsbG8=?=',
        unterminated: '=?utf-8?q?hello there',
        'invalid-utf8': `=?utf-8?B?${Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]).toString('base64')}?=`,
        'nul-crlf': '=?utf-8?Q?a=00b=0D=0ABcc:_evil@x.test?=',
        'empty-parts': '=??B??= =?utf-8??x?= =?utf-8?B??=',
        'language-tag': '=?utf-8*en?Q?Hello?=',
        'many-words': '=?utf-8?B?w6k=?= '.repeat(sizeIn(r, 10, 3000)),
        'split-multibyte': '=?utf-8?B?4oI=?= =?utf-8?B?rA==?=',
      });
      if (r.chance(0.5)) setHeader(m, 'Subject', `${word} ${headerValue(m, 'Subject')}`);
      else {
        ctx.fromTouched = true;
        setHeader(m, 'From', `${word} <${headerValue(m, 'From').replace(/^.*<|>.*$/g, '')}>`);
      }
    },
  },
  {
    name: 'header-injection',
    weight: 8,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const [key, apply] = variant<() => unknown>(ctx, {
        'crlf-in-subject': () => setHeader(m, 'Subject', 'hi\r\nBcc: evil@x.test\r\n\r\nfake body'),
        'bare-cr': () => setHeader(m, 'Subject', 'a\rb\rTo: evil@x.test'),
        'nul-in-value': () => setHeader(m, 'Subject', 'a\x00b\x00'),
        'nul-in-name': () => m.head.splice(1, 0, 'X-\x00Bad: v', '\x00: nothing'),
        'no-colon': () => m.head.splice(1, 0, 'This line has no colon', '::::'),
        'space-before-colon': () => m.head.splice(1, 0, 'Subject : spaced'),
        'fold-at-top': () => m.head.unshift('  folded continuation first'),
        'binary-name': () => m.head.splice(1, 0, `${bytesOf(r, 20).replace(/[\n:]/g, '')}: v`),
        'duplicate-from': () => m.head.push('From: Second Sender <second@x.test>'),
        'duplicate-others': () =>
          m.head.push(
            'To: other@x.test',
            'Subject: second subject',
            'Date: Mon, 5 Jan 2026 10:00:00 +0000',
            'Message-ID: <second@x.test>',
          ),
        'no-blank-line': () => (m.sep = '\n'),
        'long-name': () => m.head.push(`X-${asciiToken(r, sizeIn(r, 100, 5000))}: v`),
        'cr-only-head': () => (m.head = [m.head.join('\r')]),
      });
      if (/from|top|colon|cr-only|blank|nul-in-name|binary/.test(key)) ctx.fromTouched = true;
      apply();
    },
  },
  {
    name: 'huge-header',
    weight: 9,
    phase: 'msg',
    apply(m, ctx) {
      const { r, opts } = ctx;
      const n = sizeIn(r, 300, opts.maxRunBytes);
      const chars = Math.max(10, n >> 2);
      const [key, apply] = variant<() => unknown>(ctx, {
        subject: () => setHeader(m, 'Subject', unicodeText(r, chars)),
        'subject-encoded': () =>
          setHeader(m, 'Subject', `=?utf-8?B?${b64(unicodeText(r, chars), 0)}?=`),
        'message-id': () => setHeader(m, 'Message-ID', `<${unicodeText(r, chars)}@x>`),
        'message-id-ascii': () => setHeader(m, 'Message-ID', `<${asciiToken(r, n)}@x>`),
        'in-reply-to': () => setHeader(m, 'In-Reply-To', `<${asciiToken(r, n)}@x>`),
        references: () =>
          setHeader(
            m,
            'References',
            Array.from({ length: Math.max(1, n >> 5) }, () => `<${asciiToken(r, 20)}@x>`).join(
              '\n ',
            ),
          ),
        recipients: () =>
          setHeader(
            m,
            'To',
            Array.from(
              { length: Math.min(5000, Math.max(1, n >> 5)) },
              () => `p${asciiToken(r, 10)}@x.test`,
            ).join(',\n '),
          ),
        'display-name': () =>
          setHeader(m, 'From', `"${unicodeText(r, chars)}" <${headerAddress(m, 'From')}>`),
        'local-part': () => setHeader(m, 'From', `${asciiToken(r, n)}@x.test`),
        domain: () => setHeader(m, 'Reply-To', `a@${asciiToken(r, n)}.test`),
        'gm-thread': () => setHeader(m, 'X-GM-THRID', unicodeText(r, chars)),
        labels: () => setHeader(m, 'X-Gmail-Labels', unicodeText(r, chars)),
        'x-from': () => setHeader(m, 'X-From', unicodeText(r, chars)),
        'list-id': () => setHeader(m, 'List-Id', `<${asciiToken(r, n)}>`),
        'many-headers': () => {
          for (let i = 0; i < n >> 4; i++) m.head.push(`X-H${i}: ${asciiToken(r, 8)}`);
        },
        'folded-lines': () =>
          setHeader(
            m,
            'X-Folded',
            Array.from({ length: n >> 4 }, () => asciiToken(r, 12)).join('\n '),
          ),
      });
      if (/display-name|local-part/.test(key)) ctx.fromTouched = true;
      apply();
    },
  },
  {
    name: 'nul-bytes',
    weight: 6,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const [, apply] = variant<() => unknown>(ctx, {
        scattered: () => {
          const b = m.body.split('');
          for (let i = 0; i < r.int(1, 50); i++) b.splice(r.int(0, b.length), 0, '\x00');
          m.body = b.join('');
        },
        'all-nul': () => (m.body = '\x00'.repeat(sizeIn(r, 1, ctx.opts.maxRunBytes))),
        'in-subject': () => setHeader(m, 'Subject', `nul\x00subject\x00`),
        'in-base64': () =>
          setContent(m, 'application/octet-stream', `${b64('abc')}\x00\x00${b64('def')}`, 'base64'),
        'in-html': () => setContent(m, 'text/html', `<p>a\x00b</p>\x00<!--\x00-->`),
      });
      apply();
    },
  },
  {
    name: 'deep-nesting',
    weight: 6,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const depth = r.pick([2, 10, 49, 50, 51, 100, 300, 1000]);
      const [key] = variant(ctx, { multipart: 0, rfc822: 0, mixed: 0, 'same-boundary': 0 });
      let body = part(['Content-Type: text/plain'], plainText(m));
      for (let i = 0; i < depth; i++) {
        const kind = key === 'mixed' ? r.pick(['multipart', 'rfc822']) : key;
        if (kind === 'rfc822')
          body = part(['Content-Type: message/rfc822'], `Subject: level ${i}\n${body}`);
        else {
          const b = key === 'same-boundary' ? 'same' : `n${i}`;
          body = part([`Content-Type: multipart/mixed; boundary="${b}"`], multipart(b, [body]));
        }
      }
      const split = body.indexOf('\n\n');
      setContent(m, body.slice(0, split).replace(/^Content-Type: /, ''), body.slice(split + 2));
      ctx.variant = `${key}-${depth}`;
    },
  },
  {
    name: 'truncate',
    weight: 6,
    phase: 'raw',
    apply() {},
    applyRaw(raw, ctx) {
      const at = ctx.r.int(0, raw.length);
      const headerEnd = raw.indexOf('\n\n');
      if (headerEnd < 0 || at <= headerEnd) ctx.fromTouched = true;
      ctx.variant = at <= headerEnd ? 'in-headers' : 'in-body';
      return raw.slice(0, at);
    },
  },
  {
    name: 'from-lines',
    weight: 6,
    phase: 'msg',
    apply(m, ctx) {
      const [, line] = variant(ctx, {
        envelope: 'From someone@x.test Mon Jan  5 10:00:00 2026',
        prose: 'From here on, we go.',
        quoted: '>From the archive',
        'double-quoted': '>>From deeper',
        'after-blank': '\nFrom nobody Thu Jan  1 00:00:00 1970',
      });
      const lines = m.body.split('\n');
      lines.splice(ctx.r.int(0, lines.length), 0, line);
      m.body = lines.join('\n');
    },
  },
  {
    name: 'absurd-date',
    weight: 6,
    phase: 'msg',
    apply(m, ctx) {
      const [, date] = variant(ctx, {
        garbage: 'Mon, 32 Foo 99999 99:99:99 +9999',
        zero: '0',
        negative: '-1',
        epoch: 'Thu, 01 Jan 1970 00:00:00 +0000',
        'year-0': 'Sat, 1 Jan 0000 00:00:00 +0000',
        'year-102': 'Tue, 3 Sep 102 10:00:00 +0000',
        'far-future': 'Sat, 1 Jan 275760 00:00:00 +0000',
        'next-year': 'Thu, 1 Jan 2089 00:00:00 +0000',
        'feb-30': 'Sat, 30 Feb 2002 10:00:00 +0000',
        empty: '',
        long: asciiToken(ctx.r, sizeIn(ctx.r, 100, 5000)),
        nul: 'Mon, 5 Jan 2026\x00 10:00:00',
        'tz-absurd': 'Mon, 5 Jan 2026 10:00:00 +9999',
      });
      setHeader(m, 'Date', date);
    },
  },
  {
    name: 'garbage-address',
    weight: 8,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const [, value] = variant(ctx, {
        brackets: '<<<>>>',
        'at-only': '@',
        'no-domain': 'a@',
        'double-at': 'a@@b.test',
        unterminated: '"Unterminated <a@b.test>',
        group: 'Team: a@b.test, c@d.test',
        'nested-comments': `a@b.test ${'('.repeat(r.int(1, 3000))}`,
        'ip-literal': 'a@[127.0.0.1]',
        unicode: utf8('用户@例子.广告'),
        separators: 'a@b.test, , ,, ;;; ,',
        'escaped-quotes': '"a\\"b\\\\" <a@b.test>',
        'nul-inside': 'a\x00b@c.test',
        empty: '',
        many: Array.from({ length: r.int(100, 3000) }, (_, i) => `x${i}@y.test`).join(', '),
      });
      const header = r.pick(['From', 'To', 'Cc', 'Reply-To']);
      if (header === 'From') ctx.fromTouched = true;
      if (ctx.variant === 'empty' && r.chance(0.5)) removeHeader(m, header);
      else setHeader(m, header, value);
    },
  },
  {
    name: 'corrupt-base64',
    weight: 6,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const good = b64(utf8(plainText(m)));
      const [, body] = variant(ctx, {
        'invalid-chars': good.replace(/[A-F]/g, '!'),
        'bad-padding': `${good.slice(0, 10)}===${good.slice(10)}`,
        truncated: good.slice(0, r.int(1, Math.max(1, good.length - 1))),
        'one-line': b64(bytesOf(r, sizeIn(r, 100, 30_000)), 0),
        'padding-only': '====\n====\n',
        spaces: good.replace(/(.{5})/g, '$1 '),
      });
      setContent(m, r.pick(['text/plain; charset=utf-8', 'application/pdf']), body, 'base64');
    },
  },
  {
    name: 'corrupt-qp',
    weight: 5,
    phase: 'msg',
    apply(m, ctx) {
      const [, body] = variant(ctx, {
        'bad-hex': 'caf=ZZ =G1 ==41 =\n',
        'trailing-equals': `${plainText(m)}=`,
        'incomplete-escape': `${plainText(m)}=4`,
        'soft-breaks': '=\n'.repeat(sizeIn(ctx.r, 10, 5000)),
        'long-line': `${'a'.repeat(sizeIn(ctx.r, 1000, 50_000))}=\r\n`,
        'encoded-nul-cr': 'a=00b=0Dc=0Ad',
      });
      setContent(m, 'text/plain; charset=utf-8', body, 'quoted-printable');
    },
  },
  {
    name: 'unknown-encoding',
    weight: 3,
    phase: 'msg',
    apply(m, ctx) {
      const [, enc] = variant(ctx, {
        uuencode: 'x-uuencode',
        garbage: 'base64; garbage',
        double: 'quoted-printable base64',
        binary: 'binary',
        'seven-bit-high': '7bit',
      });
      m.body = `${m.body}\n\xff\xfe\x80 high bytes\n`;
      setContent(m, 'text/plain', m.body, enc);
    },
  },
  {
    name: 'byte-flips',
    weight: 6,
    phase: 'raw',
    apply() {},
    applyRaw(raw, ctx) {
      const { r } = ctx;
      const headerEnd = raw.indexOf('\n\n');
      const bodyOnly = headerEnd >= 0 && r.chance(0.5);
      ctx.variant = bodyOnly ? 'body' : 'anywhere';
      if (!bodyOnly) ctx.fromTouched = true;
      const b = Buffer.from(raw, 'latin1');
      const from = bodyOnly ? headerEnd + 2 : 0;
      if (b.length <= from) return raw;
      for (let i = 0; i < r.int(1, 64); i++) b[r.int(from, b.length - 1)] = r.int(0, 255);
      return b.toString('latin1');
    },
  },
  {
    name: 'hostile-text',
    weight: 10,
    phase: 'msg',
    apply(m, ctx) {
      const { text, html } = hostileRun(ctx);
      setContent(m, html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', text);
    },
  },
  {
    name: 'many-parts',
    weight: 3,
    phase: 'msg',
    apply(m, ctx) {
      const { r } = ctx;
      const n = sizeIn(r, 10, Math.max(10, ctx.opts.maxRunBytes >> 6));
      const [key] = variant(ctx, { text: 0, attachments: 0 });
      const parts = Array.from({ length: n }, (_, i) =>
        key === 'text'
          ? part(['Content-Type: text/plain'], `part ${i}`)
          : part(
              [`Content-Type: image/png; name="i${i}.png"`, 'Content-Transfer-Encoding: base64'],
              b64(bytesOf(r, 8)),
            ),
      );
      setContent(m, 'multipart/mixed; boundary="many"', multipart('many', parts));
    },
  },
  {
    name: 'line-endings',
    weight: 4,
    phase: 'raw',
    apply() {},
    applyRaw(raw, ctx) {
      const [key, fn] = variant(ctx, {
        crlf: (s: string) => s.replace(/\n/g, '\r\n'),
        'bare-cr': (s: string) => s.replace(/\n/g, '\r'),
        mixed: (s: string) => s.replace(/\n/g, () => ctx.r.pick(['\n', '\r\n', '\r\r\n'])),
        'lf-cr': (s: string) => s.replace(/\n/g, '\n\r'),
      });
      if (key !== 'crlf') ctx.fromTouched = true;
      return fn(raw);
    },
  },
  {
    name: 'not-a-message',
    weight: 4,
    phase: 'raw',
    apply() {},
    applyRaw(_raw, ctx) {
      ctx.fromTouched = true;
      const [, make] = variant<() => string>(ctx, {
        empty: () => '',
        'blank-lines': () => '\n\n\n',
        prose: () => 'hello world, this is not an email at all\n',
        binary: () => bytesOf(ctx.r, sizeIn(ctx.r, 1, 20_000)),
        'headers-only': () => 'Subject: only a subject',
        'body-only': () => '\n\njust a body after a blank line\n',
      });
      return make();
    },
  },
  {
    name: 'duplicate',
    weight: 4,
    phase: 'raw',
    apply() {},
    applyRaw(raw, ctx) {
      if (ctx.previous.length === 0) return raw;
      ctx.fromTouched = true; // the sender is the earlier case's
      ctx.variant = 'exact';
      return ctx.r.pick(ctx.previous);
    },
  },
];

function headerAddress(m: Msg, name: string) {
  return headerValue(m, name).replace(/^.*<|>.*$/g, '') || 'someone@x.test';
}

/** Stream-level damage: what the mbox around a message looks like. */
const STREAM = [
  'none',
  'none',
  'none',
  'none',
  'none',
  'none',
  'unquoted-split',
  'unquoted-prose',
  'garbage-envelope',
  'empty-entry',
] as const;
type Stream = (typeof STREAM)[number];

// ---------------------------------------------------------------- mbox writing

/** mboxrd: a body line starting `From ` (after any number of `>`) gets one more `>`. */
const quote = (raw: string) => raw.replace(/^(>*From )/gm, '>$1');

/** One entry: envelope, quoted message, and a blank line (the next envelope needs it). */
const entry = (envelope: string, raw: string) =>
  `${envelope}\n${quote(raw)}${raw.endsWith('\n') ? '' : '\n'}\n`;

// ---------------------------------------------------------------- cases

type Plan = {
  base: number;
  shape: string;
  mutations: string[];
  stream: Stream;
  seed: number;
};

function planArbitrary() {
  const mutation = fc.oneof(
    ...MUTATIONS.map((m) => ({ arbitrary: fc.constant(m.name), weight: m.weight })),
  );
  return fc.record({
    base: fc.nat({ max: 1_000_000 }),
    shape: fc.constantFrom(...Object.keys(SHAPES)),
    // One case in ten is left valid: good mail among the bad must still be stored.
    mutations: fc.oneof(
      { arbitrary: fc.constant([] as string[]), weight: 1 },
      { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }), weight: 9 },
    ),
    stream: fc.constantFrom(...STREAM),
    seed: fc.integer(),
  });
}

function basesFor(seed: number): Base[] {
  return [...generateMailbox({ seed, messages: 240, people: 40, owner: FUZZ_OWNER, now: NOW })].map(
    (g) => ({ ...g, msg: toMsg(utf8(g.raw)) }),
  );
}

const cloneMsg = (m: Msg): Msg => ({ head: [...m.head], body: m.body, sep: m.sep });

function buildCase(
  index: number,
  plan: Plan,
  bases: Base[],
  previous: string[],
  opts: FuzzOptions,
): FuzzCase {
  const r = new Random(plan.seed);
  const base = bases[plan.base % bases.length]!;
  const m = cloneMsg(base.msg);
  const ctx: Ctx = { r, opts, fromTouched: false, variant: '', previous, bases };
  // Each case its own message: its own Message-ID and minute (else most would be duplicates).
  const date = new Date(base.date.getTime() - index * 60_000);
  setHeader(m, 'Message-ID', `<fuzz-${opts.seed}-${index}@fuzz.test>`);
  setHeader(m, 'Date', date.toUTCString().replace('GMT', '+0000'));
  SHAPES[plan.shape]!(m, ctx);
  const names: string[] = [plan.shape];
  const muts = plan.mutations.map((n) => MUTATIONS.find((x) => x.name === n)!);
  for (const mut of muts.filter((x) => x.phase === 'msg')) {
    ctx.variant = '';
    mut.apply(m, ctx);
    names.push(`${mut.name}:${ctx.variant}`);
  }
  let raw = serialise(m);
  for (const mut of muts.filter((x) => x.phase === 'raw')) {
    ctx.variant = '';
    raw = mut.applyRaw!(raw, ctx);
    names.push(`${mut.name}:${ctx.variant}`);
  }
  if (raw.length < 100_000) {
    previous.push(raw);
    if (previous.length > 50) previous.shift();
  }
  const envelope = `From ${base.sender} ${asctime(date)}`;
  let bytes: string;
  let entries = 1;
  let mainEntry = 0;
  switch (plan.stream) {
    case 'unquoted-split': {
      // An envelope line left unquoted after a blank line, at a line of the body: the reader
      // must split the message there.
      const bodyAt = raw.indexOf('\n\n');
      const starts = [raw.length];
      for (
        let i = bodyAt < 0 ? -1 : raw.indexOf('\n', bodyAt + 1);
        i >= 0;
        i = raw.indexOf('\n', i + 1)
      )
        starts.push(i + 1);
      const at = r.pick(starts);
      bytes = `${entry(envelope, raw.slice(0, at))}${entry('From splitter@fuzz.test Mon Jan  5 10:00:00 2026', raw.slice(at))}`;
      entries = 2;
      break;
    }
    case 'unquoted-prose': {
      // A `From ` line left unquoted under a non-blank line, not an envelope: no split.
      const q = `${quote(raw)}${raw.endsWith('\n') ? '' : '\n'}`;
      bytes = `${envelope}\n${q}x\nFrom here on, prose.\n\n`;
      break;
    }
    case 'garbage-envelope': {
      const [, env] = variant(ctx, {
        bare: 'From ',
        'no-date': 'From someone',
        junk: `From a@b ${bytesOf(r, sizeIn(r, 1, 10_000)).replace(/\n/g, ' ')}`,
        'bad-date': 'From a@b Xyz Qqq 99 99:99:99 99999',
        cr: 'From a@b Mon Jan  5 10:00:00 2026\r',
      });
      bytes = entry(env, raw);
      break;
    }
    case 'empty-entry':
      bytes = `From MAILER-DAEMON Mon Jan  5 10:00:00 2026\n\n\n${entry(envelope, raw)}`;
      entries = 2;
      mainEntry = 1;
      break;
    default:
      bytes = entry(envelope, raw);
  }
  if (plan.stream !== 'none') names.push(`stream:${plan.stream}`);
  return {
    index,
    mutations: names,
    bytes: Buffer.from(bytes, 'latin1'),
    entries,
    mainEntry,
    sender: ctx.fromTouched ? null : base.sender,
    valid: plan.mutations.length === 0 && plan.stream === 'none',
  };
}

/** A message of about `bytes` bytes: just under or over the importer's cap. */
function hugeCase(index: number, opts: FuzzOptions, bases: Base[]): FuzzCase {
  const r = new Random(opts.seed + index);
  const kinds = ['over', 'attachment', 'text-lines', 'html', 'one-line', 'nul'];
  const kind =
    kinds[Math.floor(index / Math.max(1, Math.floor(opts.cases / opts.hugeCases))) % kinds.length]!;
  const base = r.pick(bases);
  const m = cloneMsg(base.msg);
  setHeader(m, 'Message-ID', `<fuzz-${opts.seed}-${index}-huge@fuzz.test>`);
  const target = kind === 'over' ? opts.maxMessageBytes + 1024 : opts.maxMessageBytes - 64 * 1024;
  const room = Math.max(1024, target - serialise(m).length - 512);
  const line = (n: number) => `${asciiToken(r, n - 1)}\n`;
  const fill = (unit: string) => unit.repeat(Math.ceil(room / unit.length)).slice(0, room);
  switch (kind) {
    case 'attachment': {
      const b = 'huge';
      const payload = fill(line(57)); // ~3/4 of the room once in base64
      setContent(
        m,
        `multipart/mixed; boundary="${b}"`,
        multipart(b, [
          part(['Content-Type: text/plain'], plainText(m)),
          part(
            ['Content-Type: application/zip; name="big.zip"', 'Content-Transfer-Encoding: base64'],
            // base64 is 4/3 of the bytes, plus a newline every 76 characters
            b64(payload.slice(0, Math.floor((room * 3 * 76) / (4 * 77)) - 1024)),
          ),
        ]),
      );
      break;
    }
    case 'html':
      setContent(m, 'text/html', fill(`<p>${asciiToken(r, 60)}</p>\n`));
      break;
    case 'one-line':
      setContent(
        m,
        'text/plain',
        `${asciiToken(r, 1000)
          .repeat(Math.ceil(room / 1000))
          .slice(0, room)}\n`,
      );
      break;
    case 'nul':
      setContent(m, 'text/plain', '\x00'.repeat(room));
      break;
    default:
      setContent(m, 'text/plain', fill(line(80)));
  }
  const raw = serialise(m);
  const envelope = `From ${base.sender} ${asctime(base.date)}`;
  return {
    index,
    mutations: [`huge:${kind}`],
    bytes: Buffer.from(entry(envelope, raw), 'latin1'),
    entries: 1,
    mainEntry: 0,
    sender: base.sender,
    valid: false,
  };
}

/** The run's cases, one at a time (a huge one is not kept in memory after it is written). */
export function* malformedCases(opts: FuzzOptions): Generator<FuzzCase> {
  const bases = basesFor(opts.seed);
  const plans = fc.sample(planArbitrary(), { seed: opts.seed, numRuns: opts.cases }) as Plan[];
  const previous: string[] = [];
  const hugeEvery = opts.hugeCases > 0 ? Math.max(1, Math.floor(opts.cases / opts.hugeCases)) : 0;
  for (let i = 0; i < opts.cases; i++) {
    const huge = hugeEvery > 0 && i % hugeEvery === hugeEvery - 1 && i / hugeEvery < opts.hugeCases;
    yield huge ? hugeCase(i, opts, bases) : buildCase(i, plans[i]!, bases, previous, opts);
  }
}

/** Whole files that are broken as files: the importer reads each on its own. */
export function malformedFiles(
  seed: number,
): { name: string; bytes: Buffer; entries: number | null }[] {
  const bases = basesFor(seed + 1).slice(0, 30);
  const valid = bases.map((b, i) => {
    const m = cloneMsg(b.msg);
    setHeader(m, 'Message-ID', `<file-${seed}-${i}@fuzz.test>`);
    return { envelope: `From ${b.sender} ${asctime(b.date)}`, raw: serialise(m) };
  });
  const mbox = valid.map((v) => entry(v.envelope, v.raw)).join('');
  const bin = (s: string) => Buffer.from(s, 'latin1');
  const gz = zlib.gzipSync(bin(mbox));
  const r = new Random(seed);
  const corrupt = Buffer.from(gz);
  for (let i = 0; i < 20; i++) corrupt[r.int(20, corrupt.length - 1)] = r.int(0, 255);
  return [
    { name: 'empty.mbox', bytes: bin(''), entries: 0 },
    { name: 'bare.eml', bytes: bin(valid[0]!.raw), entries: 1 },
    { name: 'crlf.mbox', bytes: bin(mbox.replace(/\n/g, '\r\n')), entries: valid.length },
    {
      name: 'garbage-prefix.mbox',
      bytes: bin(`garbage before the first envelope\n\n${mbox}`),
      entries: valid.length + 1,
    },
    { name: 'no-final-newline.mbox', bytes: bin(mbox.replace(/\n+$/, '')), entries: valid.length },
    {
      name: 'envelopes-only.mbox',
      bytes: bin('From a Mon Jan  5 10:00:00 2026\n\n\n'.repeat(5)),
      entries: 5,
    },
    { name: 'ok.mbox.gz', bytes: gz, entries: valid.length },
    // The reader gets as far as the damage: how many it finds before is not known here.
    { name: 'truncated.mbox.gz', bytes: gz.subarray(0, gz.length >> 1), entries: null },
    { name: 'corrupt.mbox.gz', bytes: corrupt, entries: null },
  ];
}
