import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { getEnv } from '@/env';
import { rowsOf } from '@/server/db/client';
import { defineJob } from '../define-job';
import { syncGmailJob } from './mail.sync-gmail';

/**
 * Every minute: enqueues a sync for each Gmail account whose last sync is older than
 * GMAIL_SYNC_INTERVAL_MINUTES (push notifications only make it sooner; this is the safety net).
 */
export const syncDueJob = defineJob({
  id: 'mail.sync-due',
  payload: z.object({}),
  options: { retryLimit: 0, retryDelaySeconds: 30, expireInSeconds: 300, schedule: '* * * * *' },
  singletonKey: () => 'all',
  async handler(_p, { db, queue }) {
    const minutes = getEnv().GMAIL_SYNC_INTERVAL_MINUTES;
    const due = rowsOf<{ id: string; user_id: string }>(
      await db.execute(sql`
        SELECT id, user_id FROM mail_accounts
         WHERE provider = 'gmail' AND auth_account_id IS NOT NULL
           AND sync_status IN ('idle', 'error', 'syncing')
           AND (last_synced_at IS NULL OR last_synced_at < now() - make_interval(mins => ${minutes}))
         ORDER BY last_synced_at ASC NULLS FIRST LIMIT 1000`),
    );
    let enqueued = 0;
    for (const a of due) {
      const id = await queue.enqueue(syncGmailJob.id, {
        userId: a.user_id,
        accountId: a.id,
        reason: 'schedule',
      });
      if (id) enqueued++;
    }
    return { due: due.length, enqueued };
  },
});
