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

  it('stops reading once the body passes the limit', async () => {
    const { req, pulled } = body(10_000, 1024);
    expect(await readBodyLimited(req, 64 * 1024)).toBeNull();
    expect(pulled()).toBeLessThan(70);
  });

  it('reads an absent body as empty', async () => {
    expect((await readBodyLimited(new Request('http://x/'), 10))?.byteLength).toBe(0);
  });
});
