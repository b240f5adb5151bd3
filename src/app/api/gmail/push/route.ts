import { getEnv } from '@/env';
import { getDbHandle } from '@/server/db/client';
import { handleGmailPush } from '@/server/mail/gmail/push-handler';
import { getRuntime } from '@/server/runtime-handle';

export const dynamic = 'force-dynamic';

/** Gmail push notifications (Cloud Pub/Sub push subscription to /api/gmail/push?token=…). */
export async function POST(req: Request) {
  const handle = await getDbHandle();
  const result = await handleGmailPush(handle.db, req, {
    secret: getEnv().GMAIL_PUSH_TOKEN,
    enqueue: async (userId, accountId) =>
      (await getRuntime()).queue.enqueue('mail.sync-gmail', {
        userId,
        accountId,
        reason: 'push',
      }),
  });
  return Response.json(result.body, { status: result.status });
}
