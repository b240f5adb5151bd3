import { sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf, type Db } from '@/server/db/client';
import type { Address } from '@/server/db/schema';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { EXTRACTED_FIELDS, extractedBefore, upsertContacts } from './upsert-contacts';
import { nameDomainCompanies } from './domain-companies';

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
    htmlAsText: false,
    labels: r.labels,
    headers: r.headers,
    attachments: [],
    sizeBytes: 0,
    contentKey: r.content_key ?? r.id,
  };
}

/** What an emptied field holds. */
const EMPTY: Record<(typeof EXTRACTED_FIELDS)[number], string> = {
  name: 'NULL',
  company: 'NULL',
  title: 'NULL',
  location: 'NULL',
  phones: `'[]'::jsonb`,
  links: `'{}'::jsonb`,
};

/**
 * Empties the fields extraction wrote before `before` (the user's and enrichment's stay): after
 * a re-extraction, those are the values no stored message supports any more. Returns how many
 * contacts it changed.
 */
async function clearStaleFields(db: Db, userId: string, before: Date) {
  const at = sql`${before.toISOString()}::timestamptz`;
  const stale = (f: (typeof EXTRACTED_FIELDS)[number]) => extractedBefore(f, at);
  const set = EXTRACTED_FIELDS.map(
    (f) =>
      sql`${sql.identifier(f)} = CASE WHEN ${stale(f)} THEN ${sql.raw(EMPTY[f])} ELSE c.${sql.identifier(f)} END`,
  );
  const result = await db.execute(sql`
    UPDATE contacts c SET ${sql.join(set, sql`, `)},
      name_confidence = CASE WHEN ${stale('name')} THEN NULL ELSE c.name_confidence END,
      field_sources = c.field_sources - array_remove(ARRAY[${sql.join(
        EXTRACTED_FIELDS.map((f) => sql`CASE WHEN ${stale(f)} THEN ${f}::text END`),
        sql`, `,
      )}], NULL),
      updated_at = now()
    WHERE c.user_id = ${userId} AND (${sql.join(EXTRACTED_FIELDS.map(stale), sql` OR `)})
    RETURNING c.id`);
  return rowsOf(result).length;
}

/**
 * Runs contact extraction again over all of a user's stored mail (after the rules improved):
 * names, companies, signatures and human/robot verdicts are decided afresh, in batches. A field
 * extraction filled before is replaced by what the mail says now, and emptied when no message
 * supports it any more; fields the user edited, and what enrichment found, stay as they are.
 * Until the last batch, a contact shows its old values where no batch has reached it yet.
 * Then the stats are recomputed.
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
  // The run's start, by the database's clock (which stamps the fields extraction writes).
  const [{ now: started }] = rowsOf<{ now: string | Date }>(
    await db.execute(sql`SELECT now() AS now`),
  ) as [{ now: string | Date }];
  const staleBefore = new Date(started);
  // Oldest mail first, as it arrived (undated mail before the rest): where evidence ties, the
  // newer wins, as when the mail was imported.
  const cursor = { dated: false, at: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
  let done = 0;
  for (;;) {
    const rows = rowsOf<Row & { at_key: string | null }>(
      await db.execute(sql`SELECT id, from_email, from_name, "to", cc, bcc, reply_to, subject, sent_at,
          sent_at::text AS at_key, body_text, headers, labels, content_key, message_id_header
        FROM emails WHERE user_id = ${options.userId}
          AND ${
            cursor.dated
              ? sql`sent_at IS NOT NULL AND (sent_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
              : sql`sent_at IS NULL AND id > ${cursor.id}::uuid`
          }
        ORDER BY sent_at, id LIMIT ${options.batchSize ?? 1000}`),
    );
    if (rows.length === 0) {
      if (cursor.dated) break;
      Object.assign(cursor, { dated: true, id: '00000000-0000-0000-0000-000000000000' });
      continue;
    }
    await db.transaction((tx) =>
      upsertContacts(tx, { userId: options.userId, owners }, rows.map(toParsed), {
        freshVerdicts: true,
        staleBefore,
      }),
    );
    cursor.id = rows.at(-1)!.id;
    cursor.at = rows.at(-1)!.at_key ?? cursor.at;
    done += rows.length;
    options.onProgress?.(done);
  }
  const emptied = await clearStaleFields(db, options.userId, staleBefore);
  await nameDomainCompanies(db, options.userId);
  const contacts = await recomputeStats(db, { userId: options.userId });
  return { emails: done, contacts, emptied };
}
