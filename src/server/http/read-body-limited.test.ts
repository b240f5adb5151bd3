import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './read-body-limited';

/** A body of `chunks` chunks of `size` bytes, counting how many were pulled. */
function body(chunks: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x7b));
    },
  });
  const req = new Request('http://x/', {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { req, pulled: () => pulled };
}

describe('readBodyLimited', () => {
  it('reads a body within the limit', async () => {
    const { req } = body(4, 1000);
    expect((await readBodyLimited(req, 4000))?.byteLength).toBe(4000);
  });

  it('keeps nothing past the limit, and reads on (dropping it) only up to `drainUpTo`', async () => {
    const endless = body(10_000, 1024);
    expect(await readBodyLimited(endless.req, 64 * 1024)).toBeNull();
    expect(endless.pulled()).toBeLessThan(70);
    const drained = body(10_000, 1024);
    expect(await readBodyLimited(drained.req, 64 * 1024, { drainUpTo: 1024 ** 2 })).toBeNull();
    expect(drained.pulled()).toBeGreaterThan(1000);
    expect(drained.pulled()).toBeLessThan(1030);
    // A body that ends within the drain is read to its end (the connection stays usable).
    const ends = body(200, 1024);
    expect(await readBodyLimited(ends.req, 64 * 1024, { drainUpTo: 1024 ** 2 })).toBeNull();
    expect(ends.pulled()).toBe(200);
  });

  it('reads an absent body as empty', async () => {
    expect((await readBodyLimited(new Request('http://x/'), 10))?.byteLength).toBe(0);
  });
});
