import crypto from 'node:crypto';
import PostalMime, { type Email } from 'postal-mime';
import type { Address, MailProviderKind } from '@/server/db/schema';
import { toAddresses, withXNames } from './addresses';
import { displayHtml } from './display-html';
import { htmlToText } from './html-to-text';
import { resolveSentAt } from './message-dates';
import { parseSimpleMime } from './simple-mime';
import { MessageParseError, type ParsedMessage } from './parsed-message';
import { normaliseSubject } from './subject';

/** Headers kept on the stored email: what classification, threading and display need. */
const KEPT_HEADERS = new Set([
  'list-id',
  'list-unsubscribe',
  'list-post',
  'x-beenthere',
  'x-mailing-list',
  'mailing-list',
  'precedence',
  'auto-submitted',
  'x-auto-response-suppress',
  'feedback-id',
  'x-mailer',
  'x-from',
  'x-to',
  'x-cc',
  'x-bcc',
  'x-folder',
  'x-origin',
  'x-gmail-labels',
  'x-gm-thrid',
  'return-path',
  'sender',
  'x-spam-flag',
  'x-campaign',
  'x-mailgun-tag',
  'x-ses-outgoing',
  'x-sg-eid',
  'x-report-abuse',
]);
const KNOWN_HEADERS = ['from', 'to', 'date', 'subject', 'message-id', 'received', 'return-path'];

const MAX_TEXT = 1_000_000;
const MAX_HTML = 2_000_000;
const MAX_HEADER_VALUE = 2000;
const MAX_HEADERS_SIZE = 512 * 1024;
/** Real Message-IDs are far shorter; ids are keys of the database's indexes, which cap a row. */
const MAX_ID = 200;

export type RawMessage = {
  raw: Uint8Array;
  source: MailProviderKind;
  /** The mbox `From ` line's date, used when the Date header is missing or absurd. */
  envelopeDate?: Date | null;
  /** Provider ids (Gmail) when known; mbox messages get theirs from the headers. */
  providerMessageId?: string;
  providerThreadId?: string | null;
  labels?: string[];
  /**
   * Ask a parse worker to prepare the message for storing too: its contact evidence, these
   * owner addresses left out (ParsedMessage.evidence), and its emails-row fields (.row).
   */
  prepareFor?: { owners: string[] };
};

/** An id without its angle brackets; an absurdly long one becomes its hash (still a stable key). */
function stripAngles(id: string | undefined | null): string | null {
  const v = id
    ?.trim()
    .replace(/^<+|>+$/g, '')
    .trim();
  if (!v) return null;
  return v.length <= MAX_ID ? v : `sha1-id:${crypto.createHash('sha1').update(v).digest('hex')}`;
}

function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return (ids ?? value.split(/\s+/)).map((v) => stripAngles(v)).filter((v): v is string => !!v);
}

function labelsFrom(headers: Record<string, string>): string[] {
  const labels: string[] = [];
  const gmail = headers['x-gmail-labels'];
  if (gmail) {
    for (const m of gmail.matchAll(/"([^"]*)"|([^,]+)/g)) {
      const label = (m[1] ?? m[2] ?? '').trim();
      if (label) labels.push(label);
    }
  }
  const folder = headers['x-folder'];
  if (folder) {
    const last = folder.split(/[\\/]/).filter(Boolean).at(-1)?.trim();
    if (last) labels.push(last);
  }
  return labels;
}

/** How much work PostgreSQL's text search parser may be given per message (see searchSafe). */
const COMMENT_SCAN_BUDGET = 20_000_000;
const WORD_COST_BUDGET = 15_000_000;
const CUT_WORD = 64;
/** Whether a UTF-16 code unit is whitespace as a regular expression's `\s` reads it. */
function isSpace(c: number) {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The sum of the squared lengths of the words (runs without `\s`) longer than CUT_WORD. */
function longWordCost(text: string) {
  let cost = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (isSpace(text.charCodeAt(i))) {
      if (run > CUT_WORD) cost += run * run;
      run = 0;
    } else run++;
  }
  if (run > CUT_WORD) cost += run * run;
  return cost;
}

/**
 * The text, defused for PostgreSQL's text search parser (the emails.search column indexes the
 * text), which is quadratic on some shapes: it looks for a comment's end from every `<!--`, and
 * a long word (a run without whitespace) that repeats `@` or `_` (`a@1a@1…`) costs the square
 * of its length — minutes for one crafted message, inside the store transaction. When the text
 * would cost more than about a second, the `<!--` after the last `-->` lose their `<` and words
 * longer than 64 characters are cut. Real mail (a few stray `<!--`, some long links) is left
 * as it is.
 */
export function searchSafe(text: string): string {
  let out = text;
  const closed = out.lastIndexOf('-->') + 1;
  let scan = 0;
  for (let i = out.indexOf('<!--', closed); i >= 0; i = out.indexOf('<!--', i + 4))
    scan += out.length - i;
  if (scan > COMMENT_SCAN_BUDGET)
    out = out.slice(0, closed) + out.slice(closed).replaceAll('<!--', '!--');
  if (longWordCost(out) > WORD_COST_BUDGET)
    out = out.replace(/\S+/g, (w) => (w.length > CUT_WORD ? `${w.slice(0, CUT_WORD)}…` : w));
  return out;
}

/**
 * PostgreSQL text cannot hold NUL, and mail carries it however it was encoded (raw, `=00`,
 * base64, encoded words): no string leaves the parser with one, so every query downstream
 * (lookups pass ids and subjects as plain parameters) can take what it is given.
 */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) if (hasNul(k) || hasNul(v)) return true;
  }
  return false;
}

function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)]),
    ) as T;
  }
  return value;
}

export function contentKeyOf(m: {
  from: Address | null;
  sentAt: Date | null;
  subject: string | null;
  text: string | null;
}) {
  const minute = m.sentAt ? Math.floor(m.sentAt.getTime() / 60_000) : 'nodate';
  const body = (m.text ?? '').slice(0, 20_000).replace(/\s+/g, ' ').trim().toLowerCase();
  return crypto
    .createHash('sha1')
    .update(
      `${m.from?.email ?? ''}\u0000${minute}\u0000${normaliseSubject(m.subject)}\u0000${body}`,
    )
    .digest('hex');
}

/**
 * Parses one raw RFC 822 message with postal-mime into a ParsedMessage. Broken charsets and
 * MIME give a best-effort message; input with no recognisable header is a MessageParseError.
 */
export async function parseMessage(input: RawMessage): Promise<ParsedMessage> {
  let email: Email;
  try {
    // A single text part is read directly, into what postal-mime would return for it.
    email =
      parseSimpleMime(input.raw, MAX_HEADERS_SIZE) ??
      (await PostalMime.parse(input.raw, {
        attachmentEncoding: 'arraybuffer',
        maxNestingDepth: 50,
        maxHeadersSize: MAX_HEADERS_SIZE,
      }));
  } catch (err) {
    throw new MessageParseError(`unparseable MIME: ${(err as Error).message}`);
  }
  const headers: Record<string, string> = {};
  let known = 0;
  for (const h of email.headers) {
    if (KNOWN_HEADERS.includes(h.key)) known++;
    if (KEPT_HEADERS.has(h.key) && headers[h.key] === undefined) {
      headers[h.key] = h.value.slice(0, MAX_HEADER_VALUE);
    }
  }
  if (known === 0)
    throw new MessageParseError('not an email: no From, To, Date, Subject or Message-ID header');

  const rawDate = email.headers.find((h) => h.key === 'date')?.value;
  const sentAt = resolveSentAt(email.date, rawDate, input.envelopeDate);
  const from = withXNames(toAddresses(email.from), headers['x-from'])[0] ?? null;
  const html = email.html ? email.html.slice(0, MAX_HTML) : null;
  const text =
    searchSafe(
      (email.text?.trim() ? email.text : html ? htmlToText(html) : '').slice(0, MAX_TEXT),
    ) || null;
  // Made safe to show here, once (on a parse worker for any message of size): never on read.
  const shown = html ? displayHtml(html) : { html: null, asText: false };
  const subject = email.subject?.replace(/\s+/g, ' ').trim().slice(0, MAX_HEADER_VALUE) || null;
  const messageId = stripAngles(email.messageId);
  const contentKey = contentKeyOf({ from, sentAt, subject, text });

  const message: ParsedMessage = {
    source: input.source,
    providerMessageId: input.providerMessageId ?? messageId ?? `sha1:${contentKey}`,
    messageId,
    providerThreadId: input.providerThreadId ?? stripAngles(headers['x-gm-thrid']),
    inReplyTo: messageIds(email.inReplyTo)[0] ?? null,
    references: messageIds(email.references),
    from,
    to: withXNames(toAddresses(email.to), headers['x-to']),
    cc: withXNames(toAddresses(email.cc), headers['x-cc']),
    bcc: withXNames(toAddresses(email.bcc), headers['x-bcc']),
    replyTo: toAddresses(email.replyTo),
    subject,
    sentAt,
    text,
    html: shown.html,
    htmlAsText: shown.asText,
    labels: [...new Set([...(input.labels ?? []), ...labelsFrom(headers)])],
    headers,
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      mimeType: a.mimeType,
      size:
        typeof a.content === 'string'
          ? a.content.length
          : (a.content as ArrayBuffer | Uint8Array).byteLength,
      contentId: a.contentId ?? null,
    })),
    sizeBytes: input.raw.byteLength,
    contentKey,
  };
  // Rebuilt only when some string holds a NUL (a walk that copies nothing costs far less).
  return hasNul(message) ? withoutNul(message) : message;
}

export { MessageParseError };
