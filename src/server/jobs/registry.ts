import type { JobDefinition } from './define-job';
import { enrichContactsJob } from './definitions/contact.enrich';
import { reextractContactsJob } from './definitions/contact.reextract';
import { socialSyncJob } from './definitions/contact.social-sync';
import { importMboxJob } from './definitions/mail.import-mbox';
import { renewGmailWatchJob } from './definitions/mail.renew-gmail-watch';
import { sanitizeHtmlJob } from './definitions/mail.sanitize-html';
import { syncDueJob } from './definitions/mail.sync-due';
import { syncGmailJob } from './definitions/mail.sync-gmail';
import { pruneRateLimitsJob } from './definitions/maintenance.prune-rate-limits';
import { sweepUploadsJob } from './definitions/maintenance.sweep-uploads';
import { recomputeStatsJob } from './definitions/stats.recompute';

/** Every job the worker runs. Each capability adds its definitions here. */
export const jobDefinitions = [
  pruneRateLimitsJob,
  sweepUploadsJob,
  importMboxJob,
  recomputeStatsJob,
  reextractContactsJob,
  syncGmailJob,
  syncDueJob,
  renewGmailWatchJob,
  enrichContactsJob,
  socialSyncJob,
  sanitizeHtmlJob,
] as unknown as JobDefinition[];
