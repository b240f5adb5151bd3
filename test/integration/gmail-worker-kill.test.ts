import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrichContactsJob } from '@/server/jobs/definitions/contact.enrich';
import { syncGmailJob } from '@/server/jobs/definitions/mail.sync-gmail';
import type { JobDefinition } from '@/server/jobs/define-job';
import { JobQueue } from '@/server/jobs/job-queue';
import { message } from '../fixtures/mbox-builder';
import { startFakeGmail, type FakeGmail } from '../fakes/gmail-server';
import { linkFakeGoogle } from '../support/google-link';
import { spawnWorker, type WorkerProcess } from '../support/spawn-worker';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';
import { waitFor } from '../support/wait-for';

const SECRET = 'gmail-kill-test-secret-0123456789abcdef';
const TOTAL = 400;

describeEachDriver(
  'a Gmail sync whose worker is killed',
  (db) => {
    let fake: FakeGmail;
    let producer: JobQueue;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      // Slow enough that the kill lands mid-sync.
      fake = await startFakeGmail({ latencyMs: 15 });
      producer = await JobQueue.start(db(), {
        definitions: [syncGmailJob, enrichContactsJob] as unknown as JobDefinition[],
        role: 'producer',
      });
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await producer.stop();
      await fake.close();
    });

    it('resumes in another worker from the saved cursor: every message stored once', async () => {
      const address = 'kit@gmail.test';
      const user = await createTestUser(db());
      const { accountId } = await linkFakeGoogle(db().db, fake, {
        userId: user.id,
        address,
        secret: SECRET,
      });
      fake.addMessages(
        address,
        Array.from({ length: TOTAL }, (_, i) => ({
          raw: message({
            from: `Peer ${i % 9} <peer${i % 9}@corp.test>`,
            to: address,
            subject: `Note ${i}`,
            date: new Date(Date.UTC(2026, 1, 1) + i * 60_000).toUTCString(),
            messageId: `kill${i}@gmail.test`,
          }),
        })),
      );
      const env = {
        BETTER_AUTH_SECRET: SECRET,
        ...fake.googleEnv,
        GMAIL_EXCLUDE_CATEGORIES: '',
      };
      const stored = async () =>
        (
          await db().query<{ n: number; d: number }>(
            `SELECT count(*)::int AS n, count(DISTINCT provider_message_id)::int AS d FROM emails WHERE user_id = $1`,
            [user.id],
          )
        )[0]!;

      const doomed = await spawnWorker(
        db().connectionString!,
        env,
        'test/support/gmail-worker-process.ts',
      );
      workers.push(doomed);
      const jobId = (await producer.enqueue(syncGmailJob.id, {
        userId: user.id,
        accountId,
        reason: 'connect',
      }))!;
      await waitFor(async () => (await stored()).n >= 100, {
        timeoutMs: 30_000,
        what: 'the first pages',
      });
      doomed.child.kill('SIGKILL');
      const atKill = (await stored()).n;
      expect(atKill).toBeLessThan(TOTAL);

      workers.push(
        await spawnWorker(db().connectionString!, env, 'test/support/gmail-worker-process.ts'),
      );
      await waitFor(async () => (await producer.getJobStatus(jobId))?.state === 'completed', {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the sync to complete in the other worker',
      });
      expect(await stored()).toEqual({ n: TOTAL, d: TOTAL });
      const [account] = await db().query<{ sync_status: string; sync_cursor: unknown }>(
        `SELECT sync_status, sync_cursor FROM mail_accounts WHERE id = $1`,
        [accountId],
      );
      expect(account).toEqual({ sync_status: 'idle', sync_cursor: null });
      // What the killed worker had stored was not fetched again (at most its in-flight pages).
      expect(fake.stats.byMethod['messages.get']).toBeLessThanOrEqual(TOTAL + 200);
    });
  },
  'postgres',
);
