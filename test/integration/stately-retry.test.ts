import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '@/server/jobs/define-job';
import { JobQueue } from '@/server/jobs/job-queue';
import { describeEachDriver } from '../support/test-db';
import { waitFor } from '../support/wait-for';

const ran: string[] = [];

/** A singleton job that always fails, with a backoff long enough to stay in `retry` here. */
const failingJob = defineJob({
  id: 'test.stately-failing',
  payload: z.object({ key: z.string(), n: z.number() }),
  options: { retryLimit: 3, retryDelaySeconds: 120, expireInSeconds: 60 },
  singletonKey: (p) => p.key,
  async handler(p) {
    ran.push(`${p.key}${p.n}`);
    throw new Error(`planned failure ${p.n}`);
  },
});

// Found by `npm run soak`: a sync queued while the same account's killed sync waited to retry
// ran beside it; when it failed too, pg-boss marked it `failed` with all its retries left.
describeEachDriver('a singleton job while the same work waits to retry', (db) => {
  let queue: JobQueue;

  beforeAll(async () => {
    ran.length = 0;
    queue = await JobQueue.start(db(), {
      definitions: [failingJob] as unknown as JobDefinition[],
      role: 'worker',
      maintenanceIntervalSeconds: 1,
    });
    await queue.process();
  });
  afterAll(() => queue.stop(5_000));

  it('defers to the pending retry instead of running and being failed outright', async () => {
    const first = (await queue.enqueue(failingJob, { key: 'k', n: 1 }))!;
    await waitFor(async () => (await queue.getJobStatus(first))?.state === 'retry', {
      timeoutMs: 20_000,
      what: 'the first job to wait for its retry',
    });
    const second = (await queue.enqueue(failingJob, { key: 'k', n: 2 }))!;
    expect(second).toBeTruthy();
    const status = await waitFor(
      async () => {
        const s = await queue.getJobStatus(second);
        return s && ['completed', 'failed'].includes(s.state) ? s : null;
      },
      { timeoutMs: 20_000, what: 'the second job to end' },
    );
    expect(status).toMatchObject({ state: 'completed', output: { deferredTo: first } });
    expect(ran).toEqual(['k1']);
    expect((await queue.getJobStatus(first))?.state).toBe('retry');
  });
});
