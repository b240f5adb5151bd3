import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getEnv } from '@/env';
import { mailAccounts } from '@/server/db/schema';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { defineJob } from '../define-job';

/**
 * Gmail push (`users.watch`) lasts 7 days: renewed daily for every Gmail account in good
 * standing when GMAIL_PUBSUB_TOPIC is set. Notifications arrive at /api/gmail/push and only
 * enqueue a sync; the minute-by-minute schedule stays the safety net.
 */
export const renewGmailWatchJob = defineJob({
  id: 'mail.renew-gmail-watch',
  payload: z.object({}),
  options: { retryLimit: 2, retryDelaySeconds: 300, expireInSeconds: 1800, schedule: '17 4 * * *' },
  singletonKey: () => 'all',
  async handler(_p, { db }) {
    const topic = getEnv().GMAIL_PUBSUB_TOPIC;
    if (!topic) return { skipped: 'GMAIL_PUBSUB_TOPIC is not set' };
    const accounts = await db
      .select()
      .from(mailAccounts)
      .where(
        and(
          eq(mailAccounts.provider, 'gmail'),
          inArray(mailAccounts.syncStatus, ['idle', 'error']),
        ),
      );
    let renewed = 0;
    const failed: string[] = [];
    for (const account of accounts) {
      try {
        await gmailProviderFor(db, account).client.watch(topic, ['INBOX']);
        renewed++;
      } catch (err) {
        failed.push(`${account.address}: ${(err as Error).message}`);
      }
    }
    return { renewed, failed };
  },
});
