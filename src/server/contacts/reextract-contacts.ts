import { sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf, type Db } from '@/server/db/client';
import type { Address } from '@/server/db/schema';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { upsertContacts } from './upsert-contacts';

type Row = {
  id: string;
  from_email: string | null;
  from_name: string | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  reply_to: Address[];
  subject: string | null;
  sent_at: string | Date | null;
  body_text: string | null;
  headers: Record<string, string>;
  labels: string[];
  content_key: string | null;
  message_id_header: string | null;
};

function toParsed(r: Row): ParsedMessage {
  return {
    source: 'mbox',
    providerMessageId: r.id,
    messageId: r.message_id_header,
    providerThreadId: null,
    inReplyTo: null,
    references: [],
    from: r.from_email ? { email: r.from_email, name: r.from_name } : null,
    to: r.to,
    cc: r.cc,
    bcc: r.bcc,
    replyTo: r.reply_to,
    subject: r.subject,
    sentAt: r.sent_at ? new Date(r.sent_at) : null,
    text: r.body_text,
    html: null,
    labels: r.labels,
    headers: r.headers,
    attachments: [],
    sizeBytes: 0,
    contentKey: r.content_key ?? r.id,
  };
}

/**
 * Runs contact extraction again over all of a user's stored mail (after the rules improved):
 * names, companies, signatures and human/robot verdicts are decided afresh, in batches;
 * fields the user edited stay as they are. Then the stats are recomputed.
 */
export async function reextractContacts(
  db: Db,
  options: { userId: string; batchSize?: number; onProgress?: (done: number) => void },
) {
  const owners = new Set(
    rowsOf<{ a: string }>(
      await db.execute(sql`SELECT lower(unnest(array_append(aliases, address))) AS a
        FROM mail_accounts WHERE user_id = ${options.userId}`),
    ).map((r) => r.a),
  );
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  for (;;) {
    const rows = rowsOf<Row>(
      await db.execute(sql`SELECT id, from_email, from_name, "to", cc, bcc, reply_to, subject, sent_at,
          body_text, headers, labels, content_key, message_id_header
        FROM emails WHERE user_id = ${options.userId} AND id > ${after}::uuid
        ORDER BY id LIMIT ${options.batchSize ?? 1000}`),
    );
    if (rows.length === 0) break;
    await db.transaction((tx) =>
      upsertContacts(tx, { userId: options.userId, owners }, rows.map(toParsed), {
        freshVerdicts: true,
      }),
    );
    after = rows.at(-1)!.id;
    done += rows.length;
    options.onProgress?.(done);
  }
  const contacts = await recomputeStats(db, { userId: options.userId });
  return { emails: done, contacts };
}
