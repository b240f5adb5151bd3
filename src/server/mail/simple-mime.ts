import { addressParser, decodeWords, type Address, type Email, type Header } from 'postal-mime';

/**
 * Most real mail is one text part: a header block and a plain (or HTML) body, 7-bit, 8-bit or
 * quoted-printable, in an ASCII-compatible charset (nine in ten messages of the shared
 * corpus). postal-mime builds such a body line by line through its MIME machinery, which was
 * most of the time a parse took. `parseSimpleMime` reads exactly these messages directly, into
 * the Email postal-mime returns for them (its address parser and encoded-word decoder
 * included), and returns null for anything else: multipart, base64, attachments, format=flowed,
 * comments or continuations in the content headers, other charsets. The tests hold it to
 * postal-mime on generated, MIME and fuzzed mail.
 */
export function parseSimpleMime(raw: Uint8Array, maxHeadersSize: number): Email | null {
  const headerEnd = emptyLineAt(raw);
  // No header at all, or more than postal-mime accepts: its own parse says what it makes of it.
  if (headerEnd.lineStart === 0 || headerEnd.lineStart > maxHeadersSize) return null;
  const headers = readHeaders(headerDecoder.decode(raw.subarray(0, headerEnd.lineStart)));
  if (!headers) return null;
  const content = contentOf(headers);
  if (!content) return null;
  const bodyBytes = raw.subarray(headerEnd.bodyStart);
  const body = content.quotedPrintable ? decodeQuotedPrintable(bodyBytes) : passThrough(bodyBytes);
  const text = content.decoder.decode(body);

  const message = { headers } as Email;
  const first = (key: string) => headers.find((h) => h.key === key);
  for (const key of ['from', 'sender'] as const) {
    const header = first(key);
    if (header?.value) {
      const addresses = addressParser(header.value);
      if (addresses.length) message[key] = addresses[0] as Email['from'];
    }
  }
  for (const [key, camelKey] of [
    ['delivered-to', 'deliveredTo'],
    ['return-path', 'returnPath'],
  ] as const) {
    const header = first(key);
    if (header?.value) {
      const addresses = addressParser(header.value);
      if (addresses.length && addresses[0]!.address) message[camelKey] = addresses[0]!.address;
    }
  }
  for (const [key, camelKey] of [
    ['to', 'to'],
    ['cc', 'cc'],
    ['bcc', 'bcc'],
    ['reply-to', 'replyTo'],
  ] as const) {
    const addresses: Address[] = [];
    for (const h of headers) {
      if (h.key === key && h.value) for (const a of addressParser(h.value)) addresses.push(a);
    }
    if (addresses.length) message[camelKey] = addresses;
  }
  for (const [key, camelKey] of [
    ['subject', 'subject'],
    ['message-id', 'messageId'],
    ['in-reply-to', 'inReplyTo'],
    ['references', 'references'],
  ] as const) {
    const header = first(key);
    if (header?.value) message[camelKey] = decodeWords(header.value);
  }
  const dateHeader = first('date');
  if (dateHeader) {
    const date = new Date(dateHeader.value);
    message.date = date.toString() === 'Invalid Date' ? dateHeader.value : date.toISOString();
  }
  if (text) {
    if (content.html) message.html = text;
    else message.text = text;
  }
  message.attachments = [];
  return message;
}

/** Header lines keep a leading BOM as a character, as postal-mime decodes them. */
const headerDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Where the header block ends: the first line that is empty once its trailing CRs are
 * dropped (postal-mime's line reader drops them), and where the body after it starts.
 */
function emptyLineAt(raw: Uint8Array): { lineStart: number; bodyStart: number } {
  let lineStart = 0;
  for (;;) {
    let i = lineStart;
    while (i < raw.length && raw[i] === 0x0d) i++;
    if (i >= raw.length) return { lineStart, bodyStart: raw.length };
    if (raw[i] === 0x0a) return { lineStart, bodyStart: i + 1 };
    const lf = raw.indexOf(0x0a, i);
    if (lf < 0) return { lineStart: raw.length, bodyStart: raw.length };
    lineStart = lf + 1;
  }
}

const isWsp = (c: number) => c === 0x20 || c === 0x09;
function trimWsp(s: string) {
  let start = 0;
  let end = s.length;
  while (start < end && isWsp(s.charCodeAt(start))) start++;
  while (end > start && isWsp(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The header block as postal-mime reads it: unfolded, keys lower-cased, values trimmed. */
function readHeaders(block: string): Header[] | null {
  const lines = block.split('\n');
  // The block ends with the line break before the empty line (unless the message is all header).
  if (lines.at(-1) === '') lines.pop();
  const headers: Header[] = [];
  let group: string[] | null = null;
  const take = (parts: string[]) => {
    const line = parts.length === 1 ? parts[0]! : parts.join('');
    const sep = line.indexOf(':');
    const key = trimWsp(sep < 0 ? line : line.slice(0, sep));
    const rest = sep < 0 ? '' : line.slice(sep + 1);
    const value = trimWsp(rest.includes('\r') ? rest.replace(/[\r\n]+/g, ' ') : rest);
    headers.push({ key: key.toLowerCase(), originalKey: key, value });
  };
  for (let line of lines) {
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
    if (end < line.length) line = line.slice(0, end);
    if (group && isWsp(line.charCodeAt(0))) group.push(line);
    else {
      if (group) take(group);
      group = [line];
    }
  }
  if (group) take(group);
  return headers.length ? headers : null;
}

/** Labels postal-mime hands straight to TextDecoder, where CR and LF are the bytes they are. */
const SIMPLE_CHARSETS = new Set([
  'utf-8',
  'utf8',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'latin1',
  'cp1252',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  ...Array.from({ length: 16 }, (_, i) => `iso-8859-${i + 1}`).filter(
    (l) => l !== 'iso-8859-12' && l !== 'iso-8859-11',
  ),
  'koi8-r',
  'koi8-u',
]);
const decoders = new Map<string, TextDecoder | null>();

/** A parameter as written, no comment, quoted pair or continuation; a quoted value without blanks. */
const PARAM = /^\s*([A-Za-z0-9-]+)\s*=\s*(?:"([^"\\()\s]*)"|([^\s;"()\\*]+))\s*$/;
/** Only space and tab around the type: postal-mime keeps any other blank as part of it. */
const CONTENT_TYPE = /^[ \t]*(text\/(?:plain|html))[ \t]*$/i;

/** The body's type, charset and transfer encoding, when they make a simple message. */
function contentOf(headers: Header[]) {
  let type: Header | undefined;
  let encoding: Header | undefined;
  for (const h of headers) {
    switch (h.key) {
      case 'content-type':
        type ??= h;
        break;
      case 'content-transfer-encoding':
        encoding ??= h;
        break;
      // An attachment, perhaps: postal-mime reads the disposition.
      case 'content-disposition':
        return null;
    }
  }
  let html = false;
  let charset = 'utf8';
  if (type) {
    const [mime, ...params] = type.value.split(';');
    const kind = CONTENT_TYPE.exec(mime!);
    if (!kind) return null;
    html = kind[1]!.toLowerCase() === 'text/html';
    const seen = new Set<string>();
    for (const p of params) {
      if (!p.trim()) continue;
      const m = PARAM.exec(p);
      if (!m) return null;
      const name = m[1]!.toLowerCase();
      if (seen.has(name)) continue;
      seen.add(name);
      const value = m[2] ?? m[3]!;
      if (name === 'charset') charset = value.toLowerCase();
      // Flowed text is unfolded by postal-mime; leave it to it.
      if (name === 'format' && /^flowed$/i.test(value)) return null;
    }
  }
  if (!SIMPLE_CHARSETS.has(charset)) return null;
  let quotedPrintable = false;
  if (encoding) {
    if (/[()"\\]/.test(encoding.value)) return null;
    const token = encoding.value.toLowerCase().match(/[\w-]+/)?.[0] ?? '';
    if (/base64/.test(token)) return null;
    quotedPrintable = /quoted-printable/.test(token);
  }
  const decoder = decoderFor(charset);
  return decoder ? { html, quotedPrintable, decoder } : null;
}

/** The charset's decoder; null where this runtime has none (Node without full ICU). */
function decoderFor(charset: string): TextDecoder | null {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      decoder = null;
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}

/** Each body line without its trailing CRs and with one LF, as postal-mime reassembles a part. */
function passThrough(body: Uint8Array): Uint8Array {
  if (body.length === 0) return body;
  if (!body.includes(0x0d)) {
    if (body[body.length - 1] === 0x0a) return body;
    const out = new Uint8Array(body.length + 1);
    out.set(body);
    out[body.length] = 0x0a;
    return out;
  }
  const out = new Uint8Array(body.length + 1);
  let n = 0;
  forEachLine(body, (start, end) => {
    out.set(body.subarray(start, end), n);
    n += end - start;
    out[n++] = 0x0a;
  });
  return out.subarray(0, n);
}

/** Calls `line` with each line's bounds, trailing CRs excluded. */
function forEachLine(body: Uint8Array, line: (start: number, end: number) => void) {
  let start = 0;
  while (start < body.length) {
    const lf = body.indexOf(0x0a, start);
    const next = lf < 0 ? body.length : lf + 1;
    let end = lf < 0 ? body.length : lf;
    while (end > start && body[end - 1] === 0x0d) end--;
    line(start, end);
    start = next;
  }
}

const hexNibble = (c: number) =>
  c >= 0x30 && c <= 0x39
    ? c - 0x30
    : c >= 0x61 && c <= 0x66
      ? c - 0x61 + 10
      : c >= 0x41 && c <= 0x46
        ? c - 0x41 + 10
        : -1;

/** Quoted-printable as postal-mime decodes it, line by line (a trailing `=` joins lines). */
function decodeQuotedPrintable(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  let n = 0;
  forEachLine(body, (start, end) => {
    const softBreak = end > start && body[end - 1] === 0x3d;
    const len = softBreak ? end - 1 : end;
    for (let i = start; i < len; i++) {
      const c = body[i]!;
      if (c === 0x3d && i + 2 < len) {
        const high = hexNibble(body[i + 1]!);
        const low = hexNibble(body[i + 2]!);
        if (high >= 0 && low >= 0) {
          out[n++] = (high << 4) | low;
          i += 2;
          continue;
        }
      }
      out[n++] = c;
    }
    if (!softBreak) out[n++] = 0x0a;
  });
  return out.subarray(0, n);
}
