// A worker process that runs the real Gmail sync job (with a short expiry, so a killed
// worker's job comes back quickly) against the database at DATABASE_URL and the Google at
// GOOGLE_*_URL / GMAIL_API_URL.
import { openDb } from '@/server/db/client';
import { enrichContactsJob } from '@/server/jobs/definitions/contact.enrich';
import { syncGmailJob } from '@/server/jobs/definitions/mail.sync-gmail';
import type { JobDefinition } from '@/server/jobs/define-job';
import { JobQueue } from '@/server/jobs/job-queue';

const handle = await openDb({ driver: 'postgres', url: process.env.DATABASE_URL!, poolSize: 6 });
const definition = {
  ...syncGmailJob,
  options: {
    ...syncGmailJob.options,
    expireInSeconds: Number(process.env.EXPIRE_SECONDS ?? 4),
    retryDelaySeconds: 1,
  },
} as unknown as JobDefinition;
const queue = await JobQueue.start(handle, {
  definitions: [definition, enrichContactsJob as unknown as JobDefinition],
  role: 'worker',
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
});
await queue.process();
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await queue.stop(10_000);
  await handle.close();
  process.exit(0);
});
