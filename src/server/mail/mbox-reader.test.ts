import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mbox } from '../../../test/fixtures/mbox-builder';
import { openMbox, readMbox, type MboxEntry } from './mbox-reader';
import { tempFile } from '../../../test/fixtures/mbox-builder';

async function collect(input: string | Buffer, chunkSize = 7, maxMessageBytes?: number) {
  const buf = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  const out: MboxEntry[] = [];
  for await (const e of readMbox(Readable.from(chunks), { maxMessageBytes })) out.push(e);
  return out;
}

const text = (e: MboxEntry) => (e.kind === 'message' ? e.raw.toString() : `<oversize ${e.bytes}>`);

describe('readMbox', () => {
  const file = mbox([
    { from: 'a@x.com', subject: 'one', body: 'From the start\nline 2\n>From quoted\n' },
    { from: 'b@x.com', subject: 'two', envelope: 'b@x.com Tue Feb  3 04:05:06 2026' },
  ]);

  it('splits messages whatever the chunking, and unquotes mboxrd From lines', async () => {
    for (const size of [1, 7, 64, 1 << 20]) {
      const entries = await collect(file, size);
      expect(entries.map((e) => e.kind)).toEqual(['message', 'message']);
      expect(text(entries[0]!)).toContain('\n\nFrom the start\nline 2\n>From quoted');
      expect(text(entries[1]!)).toMatch(/^From: b@x.com\nSubject: two/);
    }
  });

  it('reads envelope senders and dates, and numbers messages', async () => {
    const [first, second] = await collect(file);
    expect(second).toMatchObject({ index: 1, envelopeSender: 'b@x.com' });
    expect((second as { envelopeDate: Date }).envelopeDate.toISOString()).toBe(
      '2026-02-03T04:05:06.000Z',
    );
    expect(first).toMatchObject({ index: 0 });
  });

  it('does not split on a From line without a blank line before it that is no envelope', async () => {
    const tricky =
      'From a@x Mon Jan  5 10:00:00 2026\nSubject: s\n\nbody\nFrom here on, unquoted\n';
    const entries = await collect(tricky);
    expect(entries).toHaveLength(1);
    expect(text(entries[0]!)).toContain('From here on, unquoted');
  });

  it('handles CRLF files and a bare message with no envelope', async () => {
    const crlf = file.replace(/\n/g, '\r\n');
    expect(await collect(crlf)).toHaveLength(2);
    const bare = await collect('Subject: hi\nFrom: a@b.c\n\nhello\n');
    expect(bare).toHaveLength(1);
    expect(text(bare[0]!)).toMatch(/^Subject: hi/);
  });

  it('skips an oversize message without buffering it and goes on', async () => {
    const big = mbox([
      { from: 'a@x.com', subject: 'small' },
      { from: 'b@x.com', subject: 'huge', body: 'x'.repeat(5000) },
      { from: 'c@x.com', subject: 'after' },
    ]);
    const entries = await collect(big, 100, 1000);
    expect(entries.map((e) => e.kind)).toEqual(['message', 'oversize', 'message']);
    expect(entries[1]).toMatchObject({ index: 1 });
    expect((entries[1] as { bytes: number }).bytes).toBeGreaterThan(5000);
    expect(text(entries[2]!)).toContain('Subject: after');
  });

  it('stops a gzip bomb at the decompressed size it is allowed', async () => {
    // 20 MB of one byte: about 20 kB gzipped.
    const bomb = tempFile(
      'bomb.mbox.gz',
      zlib.gzipSync(Buffer.concat([Buffer.from(file), Buffer.alloc(20e6, 0x61)])),
    );
    const read = async (maxDecompressedBytes?: number) => {
      let n = 0;
      for await (const e of readMbox(openMbox(bomb, { maxDecompressedBytes }).stream, {
        maxMessageBytes: 64 << 20,
      }))
        n += e.kind === 'message' ? 1 : 0;
      return n;
    };
    await expect(read(1 << 20)).rejects.toThrow(/more than 1048576 bytes once decompressed/);
    expect(await read()).toBe(2); // no limit given: read through
  });

  it('opens gzipped files transparently', async () => {
    const gz = tempFile('mail.mbox.gz', zlib.gzipSync(file));
    const out: MboxEntry[] = [];
    for await (const e of readMbox(openMbox(gz).stream)) out.push(e);
    expect(out).toHaveLength(2);
  });
});
