import { z } from 'zod';
import { GmailError } from '@/server/mail/gmail/gmail-errors';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { syncMailAccount } from '@/server/mail/sync-account';
import { defineJob } from '../define-job';

/**
 * Syncs one Gmail account (full the first time, resuming where a stopped one left off; then
 * incremental). Temporary failures throw and are retried with backoff; a revoked grant or a
 * missing scope ends the job with the account marked for the user: no retry storm.
 */
export const syncGmailJob = defineJob({
  id: 'mail.sync-gmail',
  payload: z.object({
    userId: z.string(),
    accountId: z.string(),
    reason: z.enum(['connect', 'schedule', 'manual', 'push']).default('manual'),
  }),
  options: { retryLimit: 5, retryDelaySeconds: 30, expireInSeconds: 2 * 3600 },
  singletonKey: (p) => p.accountId,
  async handler(p, { db }) {
    const account = await findMailAccount(db, p.userId, p.accountId);
    if (account.syncStatus === 'needs_reconnect' || account.syncStatus === 'needs_permission')
      return { skipped: account.syncStatus };
    try {
      const { provider } = gmailProviderFor(db, account);
      return await syncMailAccount({
        db,
        userId: p.userId,
        accountId: p.accountId,
        provider,
        pageSize: 100,
      });
    } catch (err) {
      if (err instanceof GmailError && (err.kind === 'auth' || err.kind === 'permission'))
        return { stopped: err.kind, reason: err.message };
      throw err;
    }
  },
});
