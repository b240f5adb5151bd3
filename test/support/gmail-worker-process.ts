// A worker process that runs the real Gmail sync job (with a short expiry, so a killed
// worker's job comes back quickly) against the database at DATABASE_URL and the Google at
// GOOGLE_*_URL / GMAIL_API_URL.
import { enrichContactsJob } from '@/server/jobs/definitions/contact.enrich';
import { syncGmailJob } from '@/server/jobs/definitions/mail.sync-gmail';
import type { JobDefinition } from '@/server/jobs/define-job';
import { runJobWorker } from './run-job-worker';

const definition = {
  ...syncGmailJob,
  options: {
    ...syncGmailJob.options,
    expireInSeconds: Number(process.env.EXPIRE_SECONDS ?? 4),
    retryDelaySeconds: 1,
  },
} as unknown as JobDefinition;
await runJobWorker([definition, enrichContactsJob as unknown as JobDefinition], { poolSize: 6 });
