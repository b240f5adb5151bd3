import { and, eq, inArray, sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf, type Db } from '@/server/db/client';
import { contacts } from '@/server/db/schema';
import { AppError, notFound } from '@/server/errors/app-error';

/**
 * One person under several addresses becomes one contact: the others' addresses, interactions,
 * tags and notes move to the kept contact, which fills its empty fields from them (its own and
 * user-edited values stay), then its stats are recomputed.
 */
export async function mergeContacts(db: Db, userId: string, keepId: string, mergeIds: string[]) {
  const others = [...new Set(mergeIds)].filter((id) => id !== keepId);
  if (others.length === 0)
    throw new AppError('INVALID_INPUT', 'Choose at least one other contact to merge');
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.userId, userId), inArray(contacts.id, [keepId, ...others])));
    if (rows.length !== others.length + 1) throw notFound('Contact');
    const ids = sql.param(others);
    await tx.execute(sql`UPDATE contact_emails SET contact_id = ${keepId}::uuid
      WHERE user_id = ${userId} AND contact_id = ANY(${ids}::uuid[])`);
    // A message both addresses were on stays one interaction, in the stronger role
    // (from > to > cc > bcc > reply_to).
    await tx.execute(sql`UPDATE interactions k SET role = i.role FROM interactions i
      WHERE k.user_id = ${userId} AND i.user_id = ${userId}
        AND k.contact_id = ${keepId}::uuid AND i.contact_id = ANY(${ids}::uuid[]) AND k.email_id = i.email_id
        AND array_position(ARRAY['from','to','cc','bcc','reply_to'], i.role)
          < array_position(ARRAY['from','to','cc','bcc','reply_to'], k.role)`);
    await tx.execute(sql`DELETE FROM interactions i USING interactions k
      WHERE i.user_id = ${userId} AND k.user_id = ${userId}
        AND i.contact_id = ANY(${ids}::uuid[]) AND k.contact_id = ${keepId}::uuid AND k.email_id = i.email_id`);
    await tx.execute(sql`UPDATE interactions SET contact_id = ${keepId}::uuid
      WHERE user_id = ${userId} AND contact_id = ANY(${ids}::uuid[])`);
    const [keep] = await tx.select().from(contacts).where(eq(contacts.id, keepId));
    const rest = await tx.select().from(contacts).where(inArray(contacts.id, others));
    type TextField = 'name' | 'company' | 'title' | 'location';
    const first = (k: TextField) => keep![k] ?? rest.find((r) => r[k] !== null)?.[k] ?? null;
    await tx
      .update(contacts)
      .set({
        name: first('name'),
        company: first('company'),
        title: first('title'),
        location: first('location'),
        phones: keep!.phones.length
          ? keep!.phones
          : (rest.find((r) => r.phones.length)?.phones ?? []),
        links: Object.assign({}, ...rest.map((r) => r.links), keep!.links),
        tags: [...new Set([...keep!.tags, ...rest.flatMap((r) => r.tags)])],
        notes: [keep!.notes, ...rest.map((r) => r.notes)].filter(Boolean).join('\n\n') || null,
        customFields: Object.assign({}, ...rest.map((r) => r.customFields), keep!.customFields),
        userEditedFields: [
          ...new Set([...keep!.userEditedFields, ...rest.flatMap((r) => r.userEditedFields)]),
        ],
        isHuman: keep!.isHuman || rest.some((r) => r.isHuman),
        updatedAt: new Date(),
      })
      .where(eq(contacts.id, keepId));
    await tx.execute(
      sql`DELETE FROM contacts WHERE user_id = ${userId} AND id = ANY(${ids}::uuid[])`,
    );
    await recomputeStats(tx, { userId, contactIds: [keepId] });
  });
  return { kept: keepId, merged: others.length };
}

/**
 * Likely duplicates: people with the same full name and no conflicting company; each group's
 * busiest address first (the one a merge keeps).
 */
export async function suggestMerges(db: Db, userId: string, limit = 20) {
  return rowsOf<{ name: string; contactIds: string[]; emails: string[] }>(
    await db.execute(sql`
      SELECT min(c.name) AS name,
             array_agg(c.id ORDER BY coalesce(s.total_emails, 0) DESC, c.created_at) AS "contactIds",
             array_agg(c.email ORDER BY coalesce(s.total_emails, 0) DESC, c.created_at) AS emails
        FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND c.is_human AND NOT c.hidden AND c.name LIKE '% %'
       GROUP BY lower(c.name)
      -- Companies guessed from domains differ between someone's work and home addresses:
      -- only companies read from signatures (or typed by the user) can disagree.
      HAVING count(*) > 1
         AND count(DISTINCT lower(c.company)) FILTER (
               WHERE c.field_sources->'company'->>'source' IS DISTINCT FROM 'domain') <= 1
       ORDER BY count(*) DESC, min(c.name)
       LIMIT ${limit}`),
  );
}
