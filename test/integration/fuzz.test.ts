import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { importMbox } from '@/server/mail/import-mbox';
import { parseMessage } from '@/server/mail/parse-message';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { runFuzz } from '../fuzz/harness';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

/** The full run is `npm run fuzz` (10,000 cases, 50 MB bodies); this one is the seeded smoke. */
const SEED = 20260601;
const CASES = 1000;

describeEachDriver('ingestion fuzzer', (db) => {
  it(`accounts for each of ${CASES} malformed messages and mbox streams, seed ${SEED}: stored, or rejected with a reason`, async () => {
    const report = await runFuzz({
      handle: db(),
      seed: SEED,
      cases: CASES,
      // A small cap, so that messages over and just under it are cheap.
      maxMessageBytes: 256 * 1024,
      maxRunBytes: 32 * 1024,
      hugeCases: 8,
      parallel: false,
    });
    const context = `seed ${SEED}, slowest: ${report.slowest}`;
    expect(report.problems, context).toEqual([]);
    expect(report, context).toMatchObject({ crashes: 0, unaccounted: 0 });
    expect(report.inputs).toBeGreaterThan(CASES);
    expect(report.stored + report.duplicates + report.rejected).toBe(report.inputs);
    // The generator reaches each kind of rejection (not only the easy ones).
    const reasons = Object.keys(report.reasons).join('\n');
    for (const reason of [/^message too large/m, /nesting depth/, /not an email/, /^unreadable/m])
      expect(reasons, context).toMatch(reason);
    // No message hangs: parsed (and read for contacts) alone, none takes more than seconds. A
    // long one is stopped after 5 s (plus 1 s a MB); a short one is parsed in a second or two.
    expect(report.max_message_ms, context).toBeLessThan(10_000);
  }, 240_000);

  it('stores the rest of a batch when the database refuses one message, and records why', async () => {
    const u = await createTestUser(db());
    const file = tempFile(
      'poison.mbox',
      mbox(
        Array.from({ length: 7 }, (_, i) => ({
          from: `p${i}@x.test`,
          subject: i === 4 ? 'poison' : `ok ${i}`,
          messageId: `m${i}@x.test`,
        })),
      ),
    );
    // A key too long for its index, as a parser without bounds would hand over.
    const poisoned = crypto.randomBytes(6000).toString('base64');
    const summary = await importMbox({
      db: db().db,
      userId: u.id,
      file,
      parse: async (input) => {
        const m = await parseMessage(input);
        return m.subject === 'poison' ? { ...m, providerMessageId: poisoned } : m;
      },
    });
    expect(summary).toMatchObject({ read: 7, stored: 6, duplicates: 0, failed: 1 });
    const errors = await db().query<{ source_ref: string; reason: string }>(
      `SELECT source_ref, reason FROM import_errors WHERE user_id = $1`,
      [u.id],
    );
    expect(errors).toEqual([
      { source_ref: 'poison.mbox#4', reason: expect.stringMatching(/^store failed: \S/) },
    ]);
  });
});
