import { sql } from 'drizzle-orm';
import { getEnv, type Env } from '@/env';
import { rowsOf, type Tx } from '@/server/db/client';

/** How much mail one user may keep: messages, and bytes (raw message sizes); null: no limit. */
export type UserQuota = { maxMessages: number | null; maxBytes: number | null };

const DEFAULT_SHARED = { messages: 1_000_000, storageMb: 20 * 1024 };

/**
 * The quota the environment sets. Off for the embedded single user (it is their own disk); on a
 * PostgreSQL deployment, where users share the server, one user cannot fill it for everyone.
 */
export function userQuota(env: Env = getEnv()): UserQuota | null {
  const shared = Boolean(env.DATABASE_URL);
  const messages = env.USER_MAX_MESSAGES ?? (shared ? DEFAULT_SHARED.messages : 0);
  const mb = env.USER_MAX_STORAGE_MB ?? (shared ? DEFAULT_SHARED.storageMb : 0);
  if (!messages && !mb) return null;
  return { maxMessages: messages || null, maxBytes: mb ? mb * 1024 ** 2 : null };
}

/** What the quota says of a quota-full user, for the messages left out. */
export function quotaReason(q: UserQuota) {
  const parts = [
    ...(q.maxMessages ? [`${q.maxMessages} messages`] : []),
    ...(q.maxBytes ? [`${Math.round(q.maxBytes / 1024 ** 2)} MB`] : []),
  ];
  return `over the quota of ${parts.join(' / ')}: remove mail or ask the operator for more`;
}

/**
 * How many of `sizes` (in order) still fit the user's quota, read inside the storing
 * transaction (which holds the user's writer lock, so two stores cannot both take the room).
 */
export async function roomFor(tx: Tx, userId: string, q: UserQuota, sizes: number[]) {
  const [used] = rowsOf<{ n: string | number; b: string | number }>(
    await tx.execute(sql`
      SELECT coalesce(sum(messages_count), 0) AS n, coalesce(sum(bytes_count), 0) AS b
        FROM mail_accounts WHERE user_id = ${userId}`),
  );
  let messages = Number(used?.n ?? 0);
  let bytes = Number(used?.b ?? 0);
  let fit = 0;
  for (const size of sizes) {
    if (q.maxMessages !== null && messages + 1 > q.maxMessages) break;
    if (q.maxBytes !== null && bytes + size > q.maxBytes) break;
    messages++;
    bytes += size;
    fit++;
  }
  return fit;
}
