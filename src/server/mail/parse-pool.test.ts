import { describe, expect, it } from 'vitest';
import { message } from '../../../test/fixtures/mbox-builder';
import { IN_THREAD_MAX_LINES, messageParser, ParsePool } from './parse-pool';

const input = (body: string, subject = 'x') => ({
  raw: Buffer.from(message({ from: 'a@x.com', subject, body })),
  source: 'mbox' as const,
});
/** Seconds of postal-mime (some 15 µs a line), whatever the machine: far over the limits below. */
const slow = () => input('\n'.repeat(20 * IN_THREAD_MAX_LINES), 'slow');

describe('ParsePool', () => {
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
        reason: { name: 'MessageParseError', message: expect.stringMatching(/^parse timed out/) },
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
      await expect(parser.parse(slow())).rejects.toThrow(/^parse timed out after 1\.\d s$/);
      await expect(parser.parse(input('again'))).resolves.toMatchObject({ text: 'again\n' });
    } finally {
      await parser.close();
    }
  });
});
