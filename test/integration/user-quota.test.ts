import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { importMbox } from '@/server/mail/import-mbox';
import { userQuota } from '@/server/mail/user-quota';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const mailbox = (tag: string, n: number) =>
  tempFile(
    `${tag}.mbox`,
    mbox(
      Array.from({ length: n }, (_, i) => ({
        from: `Person ${i} <p${i}@${tag}.test>`,
        to: 'me@x.test',
        subject: `${tag} ${i}`,
        date: new Date(Date.UTC(2026, 0, 1 + i)).toUTCString(),
        body: `Message ${i} of ${tag}.\n`,
      })),
    ),
  );

describe('per-user quotas', () => {
  it('are off for the embedded single user and on for a PostgreSQL deployment', () => {
    expect(userQuota(parseEnv({}))).toBeNull();
    expect(userQuota(parseEnv({ DATABASE_URL: 'postgres://db/x' }))).toEqual({
      maxMessages: 1_000_000,
      maxBytes: 20 * 1024 ** 3,
    });
    expect(
      userQuota(parseEnv({ DATABASE_URL: 'postgres://db/x', USER_MAX_MESSAGES: '0' })),
    ).toEqual({ maxMessages: null, maxBytes: 20 * 1024 ** 3 });
    expect(userQuota(parseEnv({ USER_MAX_STORAGE_MB: '5' }))).toEqual({
      maxMessages: null,
      maxBytes: 5 * 1024 ** 2,
    });
  });
});

describeEachDriver('a user at their quota', (db) => {
  it('stores mail up to the message quota, says why the rest was not, and stops reading', async () => {
    const user = await createTestUser(db(), 'quota-messages');
    const quota = { maxMessages: 4, maxBytes: null };
    const first = await importMbox({ db: db().db, userId: user.id, file: mailbox('a', 10), quota });
    expect(first.stored).toBe(4);
    expect(first.failed).toBeGreaterThan(0);
    const reasons = await db().query<{ reason: string }>(
      `SELECT DISTINCT reason FROM import_errors WHERE user_id = $1`,
      [user.id],
    );
    expect(reasons.map((r) => r.reason).join(' ')).toMatch(/quota of 4 messages/);
    // Full: another file adds nothing.
    const second = await importMbox({ db: db().db, userId: user.id, file: mailbox('b', 3), quota });
    expect(second.stored).toBe(0);
    const [{ n }] = (await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM emails WHERE user_id = $1`,
      [user.id],
    )) as [{ n: number }];
    expect(n).toBe(4);
  });

  it('counts the stored size against the storage quota', async () => {
    const user = await createTestUser(db(), 'quota-bytes');
    const file = mailbox('c', 10);
    const quota = { maxMessages: null, maxBytes: 700 };
    const r = await importMbox({ db: db().db, userId: user.id, file, quota });
    expect(r.stored).toBeGreaterThan(0);
    expect(r.stored).toBeLessThan(10);
    const [{ bytes }] = (await db().query<{ bytes: number }>(
      `SELECT sum(size_bytes)::int AS bytes FROM emails WHERE user_id = $1`,
      [user.id],
    )) as [{ bytes: number }];
    expect(bytes).toBeLessThanOrEqual(700);
  });
});
