import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { boundedEmail } from '@/lib/bounded-string';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { readBodyLimited } from '@/server/http/read-body-limited';
import { MAX_REQUEST_BODY_BYTES } from '@/server/http/request-body-limit';

/** The most a push delivery may hold: Gmail's notifications are a few hundred bytes. */
export const PUSH_MAX_BYTES = 64 * 1024;

/** A Cloud Pub/Sub push delivery of a Gmail notification. */
export const pushSchema = z.object({
  message: z.object({
    data: z.string().max(PUSH_MAX_BYTES),
    messageId: z.string().max(200).optional(),
    publishTime: z.string().max(100).optional(),
  }),
  subscription: z.string().max(500).optional(),
});
export const notificationSchema = z.object({
  emailAddress: boundedEmail(),
  historyId: z.union([z.string().max(40), z.number()]),
});

export type PushResult = { status: number; body: Record<string, unknown> };

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/** The body as JSON, or undefined when it is not JSON; null when it is over PUSH_MAX_BYTES. */
async function readJson(req: Request): Promise<unknown> {
  const raw = await readBodyLimited(req, PUSH_MAX_BYTES, { drainUpTo: MAX_REQUEST_BODY_BYTES });
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Handles Gmail push (Pub/Sub push to `/api/gmail/push?token=…`). Google's signing keys cannot
 * be fetched from here, so the push URL carries a secret (GMAIL_PUSH_TOKEN). Anyone may call
 * the URL: the token is checked before a byte of the body is read, and then at most
 * PUSH_MAX_BYTES are. A notification only enqueues a sync of the named mailbox; the sync reads
 * the changes itself.
 */
export async function handleGmailPush(
  db: DbOrTx,
  req: Request,
  o: {
    secret: string | undefined;
    enqueue: (userId: string, accountId: string) => Promise<unknown>;
  },
): Promise<PushResult> {
  if (!o.secret)
    return { status: 404, body: { error: 'Gmail push is not configured (GMAIL_PUSH_TOKEN)' } };
  const token = new URL(req.url).searchParams.get('token');
  if (!token || !sameSecret(token, o.secret)) return { status: 403, body: { error: 'Bad token' } };
  const body = await readJson(req);
  if (body === null) return { status: 413, body: { error: 'Push body too large' } };
  const push = pushSchema.safeParse(body);
  if (!push.success) return { status: 400, body: { error: 'Not a Pub/Sub push message' } };
  let note: z.infer<typeof notificationSchema>;
  try {
    note = notificationSchema.parse(
      JSON.parse(Buffer.from(push.data.message.data, 'base64').toString('utf8')),
    );
  } catch {
    return { status: 400, body: { error: 'The message data is not a Gmail notification' } };
  }
  const accounts = rowsOf<{ id: string; user_id: string }>(
    await db.execute(sql`
      SELECT id, user_id FROM mail_accounts
       WHERE provider = 'gmail' AND lower(address) = ${note.emailAddress.toLowerCase()}
         AND sync_status NOT IN ('needs_reconnect', 'needs_permission')`),
  );
  for (const a of accounts) await o.enqueue(a.user_id, a.id);
  // 2xx acknowledges the delivery: Pub/Sub would otherwise redeliver, even for unknown mailboxes.
  return { status: 200, body: { queued: accounts.length } };
}
