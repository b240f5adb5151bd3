import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { JobQueue } from '@/server/jobs/job-queue';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';
import { importMboxJob } from '@/server/jobs/definitions/mail.import-mbox';
import {
  CREATE_RUNS_TABLE,
  flakyJob,
  laneJob,
  recordJob,
  releaseLane,
  singletonJob,
  testJobDefinitions,
} from '../support/test-jobs';
import { waitFor } from '../support/wait-for';

describeEachDriver('job queue', (db) => {
  let queue: JobQueue;
  let alice: SessionUser;
  let bob: SessionUser;

  beforeAll(async () => {
    await db().query(CREATE_RUNS_TABLE);
    queue = await JobQueue.start(db(), {
      definitions: testJobDefinitions,
      role: 'worker',
      maintenanceIntervalSeconds: 1,
    });
    await queue.process(['test.record', 'test.flaky', 'test.lane']);
    alice = await createTestUser(db(), 'alice');
    bob = await createTestUser(db(), 'bob');
  });
  afterAll(() => queue.stop(5_000));

  const runsOf = async (jobId: string) =>
    db().query<{ attempt: number }>('SELECT attempt FROM test_job_runs WHERE job_id = $1', [jobId]);

  it('runs an enqueued job once and reports it completed', async () => {
    const id = (await queue.enqueue(recordJob, { n: 1, userId: alice.id }))!;
    const status = await waitFor(async () => {
      const s = await queue.getJobStatus(id);
      return s?.state === 'completed' ? s : null;
    });
    expect(status).toMatchObject({ name: 'test.record', userId: alice.id, attempts: 1 });
    expect(await runsOf(id)).toEqual([{ attempt: 0 }]);
  });

  it('validates payloads before queueing', async () => {
    await expect(queue.enqueue(recordJob, { n: 'one' } as never)).rejects.toThrow();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const id = (await queue.enqueue(flakyJob, { failTimes: 1, userId: alice.id }))!;
    const status = await waitFor(
      async () => {
        const s = await queue.getJobStatus(id);
        return s?.state === 'completed' ? s : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(status.attempts).toBe(2);
  });

  it('records a job that exhausts its retries as a job.failed event, and retries it on demand', async () => {
    const id = (await queue.enqueue(flakyJob, { failTimes: 99, userId: alice.id }))!;
    const event = await waitFor(
      async () =>
        (
          await db().query<{ user_id: string; payload: Record<string, unknown> }>(
            `SELECT user_id, payload FROM events WHERE type = 'job.failed' AND payload->>'jobId' = $1`,
            [id],
          )
        )[0],
      { timeoutMs: 30_000, what: 'job.failed event' },
    );
    expect(event.user_id).toBe(alice.id);
    expect(event.payload).toMatchObject({
      job: 'test.flaky',
      error: 'planned failure 3',
      attempts: 3,
    });
    expect((await queue.getJobStatus(id))?.state).toBe('failed');

    // Through the API: Bob sees none of it and retries nothing of Alice's.
    const bobApi = createCaller(testContext({ db: db().db, user: bob, queue }));
    const aliceApi = createCaller(testContext({ db: db().db, user: alice, queue }));
    await expect(bobApi.jobs.byId({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await bobApi.jobs.list({})).toEqual([]);
    expect(await bobApi.jobs.retryFailed({})).toEqual({ retried: 0 });
    const failed = await aliceApi.jobs.list({ state: 'failed' });
    expect(failed.map((j) => j.id)).toContain(id);
    expect(await aliceApi.jobs.retryFailed({ ids: [id] })).toEqual({ retried: 1 });
    expect((await queue.getJobStatus(id))?.state).toMatch(/^(created|retry|active)$/);
  });

  it('runs a lane’s jobs side by side: one user’s long job holds up no one else’s', async () => {
    const state = async (id: string) => (await queue.getJobStatus(id))?.state;
    const long = (await queue.enqueue(laneJob, { userId: alice.id, hold: true }))!;
    try {
      await waitFor(async () => (await state(long)) === 'active', { what: 'the long job running' });
      const quick = (await queue.enqueue(laneJob, { userId: bob.id, hold: false }))!;
      await waitFor(async () => (await state(quick)) === 'completed', {
        what: 'Bob’s job done while Alice’s runs',
      });
      expect(await state(long)).toBe('active');
    } finally {
      releaseLane();
    }
    await waitFor(async () => (await state(long)) === 'completed', { what: 'the long job done' });
    // Imports are such a lane (one per user at a time: queueUploadImport).
    const workers = importMboxJob.options.workers;
    expect(typeof workers === 'function' ? workers() : workers).toBeGreaterThan(1);
  });

  it('keeps one queued job per singleton key', async () => {
    const first = await queue.enqueue(singletonJob, { accountId: 'acc-1' });
    const second = await queue.enqueue(singletonJob, { accountId: 'acc-1' });
    const other = await queue.enqueue(singletonJob, { accountId: 'acc-2' });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    expect(other).toBeTruthy();
  });
});
