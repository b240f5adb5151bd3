/**
 * postal-mime assembles every MIME part's body as a `Blob` of its lines (a part per line and
 * one per line break) and reads it back with `arrayBuffer()`. Node's Blob reads its parts one
 * microtask each, which made that step most of the time postal-mime spends on a message (the
 * real corpus parsed 2.7 times faster without it). ConcatBlob is the little of Blob that this
 * use needs, done as one copy.
 *
 * It is installed as the global `Blob` only on the parse workers (parse-worker.ts), threads
 * that run nothing but the parser; everywhere else `Blob` stays Node's. The parse pool's
 * tests check that a worker's parse equals an in-thread parse.
 */
type Part = string | ArrayBuffer | ArrayBufferView | ConcatBlob;

const encoder = new TextEncoder();

function toBytes(part: Part): Uint8Array {
  if (typeof part === 'string') return encoder.encode(part);
  if (part instanceof ConcatBlob) return part.content;
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part))
    return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  throw new TypeError('Blob parts must be strings, buffers or blobs');
}

export class ConcatBlob {
  readonly type: string;
  /** The parts, copied together when the blob is made (as a Blob copies them). */
  readonly content: Uint8Array;

  constructor(parts: Iterable<Part> = [], options: { type?: string } = {}) {
    this.type = options.type ?? '';
    const chunks = Array.from(parts, toBytes);
    this.content = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const c of chunks) {
      this.content.set(c, offset);
      offset += c.byteLength;
    }
  }

  get size() {
    return this.content.byteLength;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.content.slice().buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(this.content);
  }

  slice(start?: number, end?: number, type = ''): ConcatBlob {
    return new ConcatBlob([this.content.slice(start, end)], { type });
  }

  get [Symbol.toStringTag]() {
    return 'Blob';
  }
}

/** Makes `Blob` a ConcatBlob on this thread (a parse worker's; see above). */
export function installConcatBlob() {
  (globalThis as { Blob: unknown }).Blob = ConcatBlob;
}
