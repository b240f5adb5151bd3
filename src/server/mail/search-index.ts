import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';

/**
 * An email's search vector: the subject weighs more than the body; bodies are cut to stay
 * under tsvector's 1 MB limit (parse-message.ts has already defused text that would make the
 * text-search parser quadratic).
 */
const VECTOR = sql`setweight(to_tsvector('english', coalesce(e.subject, '')), 'A')
  || setweight(to_tsvector('english', left(coalesce(e.body_text, ''), 200000)), 'B')`;
/** What an email whose body the parser refuses is still found by. */
const SUBJECT_VECTOR = sql`setweight(to_tsvector('english', coalesce(e.subject, '')), 'A')`;

/**
 * Indexes these stored emails of the user for search, in one statement (those already indexed
 * are left): in a transaction, as the batch's store does, a failure fails the transaction.
 */
export async function insertSearch(
  db: DbOrTx,
  userId: string,
  emailIds: string[],
  vector = VECTOR,
) {
  if (emailIds.length === 0) return;
  await db.execute(sql`
    INSERT INTO email_search (email_id, user_id, search)
    SELECT e.id, e.user_id, ${vector} FROM emails e
     WHERE e.user_id = ${userId} AND e.id = ANY(${sql.param(emailIds)}::uuid[])
    ON CONFLICT (email_id) DO NOTHING`);
}

/**
 * Indexes these stored emails of the user for search outside a transaction (a bulk import's
 * second connection): should PostgreSQL refuse one, the others are still indexed.
 */
export async function indexSearch(db: DbOrTx, userId: string, emailIds: string[]) {
  if (emailIds.length === 0) return 0;
  const insert = (ids: string[], vector = VECTOR) => insertSearch(db, userId, ids, vector);
  try {
    await insert(emailIds);
  } catch (err) {
    // One body PostgreSQL's parser refuses must not leave the rest unsearchable: each on its
    // own, and a refused one by its subject.
    if (emailIds.length === 1) {
      console.warn(`[search] email ${emailIds[0]}: body not indexed: ${(err as Error).message}`);
      await insert(emailIds, SUBJECT_VECTOR);
    } else {
      for (const id of emailIds) await indexSearch(db, userId, [id]);
    }
  }
  return emailIds.length;
}

/** Indexes every email of the user not indexed yet, in one statement (a restore's transaction). */
export async function insertUserSearch(db: DbOrTx, userId: string) {
  await db.execute(sql`
    INSERT INTO email_search (email_id, user_id, search)
    SELECT e.id, e.user_id, ${VECTOR} FROM emails e
     WHERE e.user_id = ${userId}
       AND NOT EXISTS (SELECT 1 FROM email_search s WHERE s.email_id = e.id)`);
}

/**
 * Indexes every email of the user that has no search row yet: what an import that stopped
 * between storing a batch and indexing it (or a restore) left. Returns how many it indexed.
 */
export async function indexMissingSearch(db: DbOrTx, userId: string, pageSize = 2000) {
  let total = 0;
  for (;;) {
    const ids = rowsOf<{ id: string }>(
      await db.execute(sql`
        SELECT e.id FROM emails e
         WHERE e.user_id = ${userId}
           AND NOT EXISTS (SELECT 1 FROM email_search s WHERE s.email_id = e.id)
         LIMIT ${pageSize}`),
    ).map((r) => r.id);
    if (ids.length === 0) return total;
    total += await indexSearch(db, userId, ids);
  }
}
