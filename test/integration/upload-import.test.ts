import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import type { SessionUser } from '@/server/api/trpc';
import { importMboxJob } from '@/server/jobs/definitions/mail.import-mbox';
import { sweepUploadsJob } from '@/server/jobs/definitions/maintenance.sweep-uploads';
import { JobQueue } from '@/server/jobs/job-queue';
import { jobDefinitions } from '@/server/jobs/registry';
import { queueUploadImport } from '@/server/mail/upload-import';
import { mbox } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-uploads-'));
const MAILBOX = mbox([
  {
    from: 'Ann <ann@x.test>',
    to: 'me@x.test',
    subject: 'one',
    date: 'Mon, 2 Mar 2026 10:00:00 +0000',
  },
  {
    from: 'Bo <bo@x.test>',
    to: 'me@x.test',
    subject: 'two',
    date: 'Mon, 2 Mar 2026 11:00:00 +0000',
  },
]);
const body = (text: string = MAILBOX) => new Blob([text]).stream();
const files = () => fs.readdirSync(uploads).sort();

describeEachDriver('mbox uploads and their imports', (db) => {
  let queue: JobQueue;
  let alice: SessionUser;
  let bob: SessionUser;

  beforeAll(async () => {
    process.env.RAPPORT_UPLOAD_DIR = uploads;
    resetEnvCache();
    queue = await JobQueue.start(db(), { definitions: jobDefinitions, role: 'producer' });
    alice = await createTestUser(db(), 'alice-up');
    bob = await createTestUser(db(), 'bob-up');
  });
  afterAll(async () => {
    await queue?.stop(5_000);
    fs.rmSync(uploads, { recursive: true, force: true });
    delete process.env.RAPPORT_UPLOAD_DIR;
    resetEnvCache();
  });

  const upload = (user: SessionUser, content?: string) =>
    queueUploadImport(queue, { userId: user.id, body: body(content), owners: [], maxBytes: 1e6 });
  const runImport = (file: string, userId: string, attempt: number) =>
    importMboxJob.handler(
      { userId, file, owners: [], deleteAfter: true },
      { db: db().db, handle: db(), queue, jobId: 'test', attempt },
    );

  it('takes one import per user at a time; other users are not held up', async () => {
    const first = await upload(alice);
    expect(first.jobId).toBeTruthy();
    expect(files()).toHaveLength(1);
    // A second while the first waits: refused before anything is written.
    await expect(upload(alice)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(files()).toHaveLength(1);
    // Bob's is his own.
    expect((await upload(bob)).jobId).toBeTruthy();
    expect(files()).toHaveLength(2);
    await db().query(`DELETE FROM pgboss.job WHERE name = 'mail.import-mbox'`);
    for (const f of files()) fs.rmSync(path.join(uploads, f));
  });

  it('deletes an upload once its last attempt is over, whatever the outcome', async () => {
    const file = path.join(uploads, 'failing.mbox');
    fs.writeFileSync(file, MAILBOX);
    // No such user: the import fails. Attempts left: the file stays for the retry.
    await expect(runImport(file, 'no-such-user', 0)).rejects.toThrow();
    expect(fs.existsSync(file)).toBe(true);
    await expect(
      runImport(file, 'no-such-user', importMboxJob.options.retryLimit),
    ).rejects.toThrow();
    expect(fs.existsSync(file)).toBe(false);
    // A success removes it at once.
    const ok = path.join(uploads, 'ok.mbox');
    fs.writeFileSync(ok, MAILBOX);
    expect(await runImport(ok, alice.id, 0)).toMatchObject({ stored: 2 });
    expect(fs.existsSync(ok)).toBe(false);
  });

  it('stops an uploaded gzip bomb at MAX_DECOMPRESSED_BYTES', async () => {
    process.env.MAX_DECOMPRESSED_BYTES = String(1 << 20);
    resetEnvCache();
    try {
      const bomb = path.join(uploads, 'bomb.mbox');
      fs.writeFileSync(
        bomb,
        zlib.gzipSync(Buffer.concat([Buffer.from(MAILBOX), Buffer.alloc(30e6, 0x61)])),
      );
      const summary = (await runImport(bomb, bob.id, 0)) as { failed: number; read: number };
      expect(summary.failed).toBe(1);
      const [failure] = await db().query<{ reason: string }>(
        `SELECT reason FROM import_errors WHERE user_id = $1`,
        [bob.id],
      );
      expect(failure!.reason).toMatch(/more than 1048576 bytes once decompressed/);
    } finally {
      delete process.env.MAX_DECOMPRESSED_BYTES;
      resetEnvCache();
    }
  });

  it('sweeps away uploads left behind, never one an import still waits for', async () => {
    const waiting = await upload(alice);
    const [waitingFile] = files();
    const orphan = path.join(uploads, 'orphan.mbox');
    const fresh = path.join(uploads, 'arriving.mbox');
    fs.writeFileSync(orphan, MAILBOX);
    fs.writeFileSync(fresh, MAILBOX);
    const dayAgo = new Date(Date.now() - 86_400_000);
    fs.utimesSync(orphan, dayAgo, dayAgo);
    fs.utimesSync(path.join(uploads, waitingFile!), dayAgo, dayAgo);
    const r = await sweepUploadsJob.handler(
      {},
      {
        db: db().db,
        handle: db(),
        queue,
        jobId: 'sweep',
        attempt: 0,
      },
    );
    expect(r).toMatchObject({ deleted: 1 });
    expect(files()).toEqual(['arriving.mbox', waitingFile].sort());
    expect(waiting.jobId).toBeTruthy();
  });
});
