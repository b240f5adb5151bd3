import { sql } from 'drizzle-orm';
import type { Db } from '@/server/db/client';

const SENT_FOLDER =
  /^(\[gmail\]\/)?(sent|sent items|sent_items|sent mail|_sent_mail|sent messages|outbox|envoyés|gesendet)$/i;

/** A message filed in a sent folder was written by the owner: its From is one of their addresses. */
export function isSentFolderMessage(labels: string[]) {
  return labels.some((l) => SENT_FOLDER.test(l.trim()));
}

/**
 * The owner's other addresses, read from their sent folders: an address that wrote at least a
 * quarter of the sent-folder mail (and more than one message). Archives that mix several
 * people's sent folders (such as a sample of many mailboxes) teach nothing.
 */
export function learnedAliases(sentFrom: Map<string, number>, owners: Set<string>): string[] {
  const total = [...sentFrom.values()].reduce((a, b) => a + b, 0);
  return [...sentFrom]
    .filter(([email, n]) => !owners.has(email) && n >= 2 && n / total >= 0.25)
    .map(([email]) => email);
}

/**
 * After an import learned new owner addresses from sent folders, earlier batches may have
 * filed that address as a contact and its mail as inbound: make it the owner's everywhere.
 */
export async function adoptOwnerAliases(
  db: Db,
  options: { userId: string; accountId: string; aliases: string[] },
) {
  if (options.aliases.length === 0) return;
  const aliases = options.aliases;
  await db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE mail_accounts
      SET aliases = ARRAY(SELECT DISTINCT unnest(aliases || ${sql.param(aliases)}::text[])), updated_at = now()
      WHERE id = ${options.accountId}::uuid`);
    await tx.execute(sql`UPDATE emails SET direction = 'outbound'
      WHERE user_id = ${options.userId} AND lower(from_email) = ANY(${sql.param(aliases)}::text[]) AND direction = 'inbound'`);
    await tx.execute(sql`UPDATE interactions i SET direction = 'outbound' FROM emails e
      WHERE i.email_id = e.id AND e.user_id = ${options.userId} AND i.user_id = e.user_id
        AND lower(e.from_email) = ANY(${sql.param(aliases)}::text[]) AND i.direction = 'inbound'`);
    // The owner is not their own contact (interactions with that address go with it).
    await tx.execute(sql`DELETE FROM contacts
      WHERE user_id = ${options.userId} AND lower(email) = ANY(${sql.param(aliases)}::text[])
        AND cardinality(user_edited_fields) = 0`);
  });
}
