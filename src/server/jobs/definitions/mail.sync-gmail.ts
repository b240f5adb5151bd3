import { z } from 'zod';
import { GmailError } from '@/server/mail/gmail/gmail-errors';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { messageParser } from '@/server/mail/parse-pool';
import { syncMailAccount } from '@/server/mail/sync-account';
import { defineJob } from '../define-job';

/** How long one sync job reads before handing over to its continuation. */
const RUN_MS = Number(process.env.GMAIL_SYNC_JOB_SECONDS ?? 300) * 1000;

/**
 * Syncs one Gmail account (full the first time, resuming where a stopped one left off; then
 * incremental). Temporary failures throw and are retried with backoff; a revoked grant or a
 * missing scope ends the job with the account marked for the user: no retry storm.
 */
export const syncGmailJob = defineJob({
  id: 'mail.sync-gmail',
  payload: z.object({
    userId: z.string().max(100),
    accountId: z.string().max(100),
    reason: z.enum(['connect', 'schedule', 'manual', 'push']).default('manual'),
  }),
  // Short runs (a full sync continues in a new job every few minutes), so a job whose worker
  // died comes back within the expiry and resumes from the saved cursor.
  options: { retryLimit: 5, retryDelaySeconds: 30, expireInSeconds: 15 * 60 },
  singletonKey: (p) => p.accountId,
  async handler(p, { db, queue }) {
    const account = await findMailAccount(db, p.userId, p.accountId);
    if (account.syncStatus === 'needs_reconnect' || account.syncStatus === 'needs_permission')
      return { skipped: account.syncStatus };
    // Big and long messages are parsed (and their HTML made safe) on a worker thread.
    const parser = messageParser({ parallel: false });
    try {
      const { provider } = gmailProviderFor(db, account);
      const summary = await syncMailAccount({
        db,
        userId: p.userId,
        accountId: p.accountId,
        provider,
        pageSize: 100,
        deadline: Date.now() + RUN_MS,
        parse: parser.parse,
      });
      // Queued now, started once this one completes (one active sync per account).
      if (!summary.complete) await queue.enqueue(syncGmailJob.id, p);
      // New people get their profiles filled in the background.
      if (summary.stored > 0)
        await queue.enqueue('contact.enrich', { userId: p.userId, newOnly: true });
      return summary;
    } catch (err) {
      if (err instanceof GmailError && (err.kind === 'auth' || err.kind === 'permission'))
        return { stopped: err.kind, reason: err.message };
      throw err;
    } finally {
      await parser.close();
    }
  },
});
