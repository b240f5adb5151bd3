import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type MboxMessage = {
  kind: 'message';
  raw: Buffer;
  /** 0-based position in the file. */
  index: number;
  envelopeSender: string | null;
  envelopeDate: Date | null;
};
export type MboxOversize = { kind: 'oversize'; index: number; bytes: number };
export type MboxEntry = MboxMessage | MboxOversize;

const FROM = Buffer.from('From ');
const NL_FROM = Buffer.from('\nFrom ');
const ENVELOPE_RE = /^From \S+\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s/;
export const DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

function parseEnvelope(line: string) {
  const m = /^From (\S+)\s+(.*)$/.exec(line.trim());
  if (!m) return { sender: null, date: null };
  const d = new Date(`${m[2]!.replace(/\s+/g, ' ')} GMT`);
  return { sender: m[1]!, date: Number.isNaN(d.getTime()) ? null : d };
}

/** mboxrd quoting: `>From ` (any number of `>`) loses one `>`; also right for mboxo's `>From `. */
function unquote(body: Buffer): Buffer {
  if (body.indexOf('>From ') < 0) return body;
  return Buffer.from(body.toString('latin1').replace(/^>(>*From )/gm, '$1'), 'latin1');
}

/** Is the `From ` line at `pos` (just after a newline) a message boundary? */
function isBoundary(buf: Buffer, pos: number): boolean {
  if (pos === 0) return true;
  // A blank line before it (LF or CRLF), or a line that is unmistakably an envelope.
  if (buf[pos - 2] === 0x0a || (buf[pos - 2] === 0x0d && buf[pos - 3] === 0x0a)) return true;
  const eol = buf.indexOf(0x0a, pos);
  const line = buf.toString('latin1', pos, eol < 0 ? Math.min(buf.length, pos + 200) : eol);
  return ENVELOPE_RE.test(line);
}

/**
 * Streams messages out of an mbox (mboxrd, mboxo, Google Takeout) without holding the file:
 * memory stays around one message plus one read chunk. A message larger than
 * `maxMessageBytes` is reported as oversize and skipped, not buffered.
 */
export async function* readMbox(
  input: Readable,
  options: { maxMessageBytes?: number } = {},
): AsyncGenerator<MboxEntry> {
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let pending: Buffer = Buffer.alloc(0);
  let index = -1;
  let started = false;
  let oversizeBytes = -1; // >= 0 while skipping an oversize message
  let envelope = { sender: null as string | null, date: null as Date | null };

  function* emit(body: Buffer): Generator<MboxEntry> {
    if (oversizeBytes >= 0 || body.length > max) {
      yield { kind: 'oversize', index, bytes: Math.max(0, oversizeBytes) + body.length };
      oversizeBytes = -1;
      return;
    }
    // Drop the separator's trailing newline(s).
    let end = body.length;
    while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end--;
    yield {
      kind: 'message',
      raw: unquote(body.subarray(0, end)),
      index,
      envelopeSender: envelope.sender,
      envelopeDate: envelope.date,
    };
  }

  let scanFrom = 0;

  function* drain(final: boolean): Generator<MboxEntry> {
    if (!started) {
      if (pending.length < FROM.length && !final) return;
      started = true;
      index = 0;
      if (pending.subarray(0, FROM.length).equals(FROM)) {
        const eol = pending.indexOf(0x0a);
        if (eol < 0 && !final) {
          started = false;
          return;
        }
        envelope = parseEnvelope(pending.toString('latin1', 0, eol < 0 ? pending.length : eol));
        pending = pending.subarray(eol < 0 ? pending.length : eol + 1);
      } // else: no envelope at all, the input is one bare message (an .eml)
    }
    for (;;) {
      const hit = pending.indexOf(NL_FROM, scanFrom);
      if (hit < 0) {
        scanFrom = Math.max(0, pending.length - NL_FROM.length);
        break;
      }
      const pos = hit + 1;
      const eol = pending.indexOf(0x0a, pos);
      if (eol < 0 && !final) {
        scanFrom = hit; // the candidate envelope line is not complete yet
        break;
      }
      if (!isBoundary(pending, pos)) {
        scanFrom = pos;
        continue;
      }
      yield* emit(pending.subarray(0, pos));
      envelope = parseEnvelope(pending.toString('latin1', pos, eol < 0 ? pending.length : eol));
      index++;
      pending = pending.subarray(eol < 0 ? pending.length : eol + 1);
      scanFrom = 0;
    }
    if (final) {
      if (pending.length > 0 || oversizeBytes >= 0) yield* emit(pending);
      pending = Buffer.alloc(0);
    } else if (pending.length > max) {
      // Oversize: forget all but a tail that may hold the start of the next separator.
      const keep = NL_FROM.length + 2;
      oversizeBytes = Math.max(0, oversizeBytes) + pending.length - keep;
      pending = Buffer.from(pending.subarray(pending.length - keep));
      scanFrom = 0;
    }
  }

  for await (const chunk of input) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    yield* drain(false);
  }
  yield* drain(true);
}

/**
 * Opens an mbox file, gunzipping when it starts with the gzip magic bytes. A gzip stream that
 * would decompress to more than `maxDecompressedBytes` fails there (a few kilobytes of gzip can
 * hold gigabytes: a bomb would keep an import reading, and storing, for hours).
 */
export function openMbox(
  path: string,
  options: { maxDecompressedBytes?: number } = {},
): { stream: Readable; file: fs.ReadStream; size: number } {
  const fd = fs.openSync(path, 'r');
  const magic = Buffer.alloc(2);
  fs.readSync(fd, magic, 0, 2, 0);
  const size = fs.fstatSync(fd).size;
  fs.closeSync(fd);
  const file = fs.createReadStream(path, { highWaterMark: 1024 * 1024 });
  const gz = magic[0] === 0x1f && magic[1] === 0x8b;
  if (!gz) return { stream: file, file, size };
  const gunzip = file.pipe(zlib.createGunzip());
  const max = options.maxDecompressedBytes;
  if (max !== undefined) {
    let out = 0;
    gunzip.on('data', (chunk: Buffer) => {
      out += chunk.length;
      if (out > max) {
        file.destroy();
        gunzip.destroy(new Error(`the file is more than ${max} bytes once decompressed`));
      }
    });
  }
  return { stream: gunzip, file, size };
}
