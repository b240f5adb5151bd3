import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import type { Db } from '@/server/db/client';
import { contactEmails, contactMerges, contacts } from '@/server/db/schema';
import { AppError, notFound } from '@/server/errors/app-error';
import { mergeSnapshot } from './undo-merge';

/**
 * One person under several addresses becomes one contact: the others' addresses, interactions,
 * tags and notes move to the kept contact, which fills its empty fields from them (its own and
 * user-edited values stay), then its stats are recomputed. Every row it changes or removes is
 * kept as it was in contact_merges, so that the merge can be undone (undoMerge).
 */
export async function mergeContacts(db: Db, userId: string, keepId: string, mergeIds: string[]) {
  const others = [...new Set(mergeIds)].filter((id) => id !== keepId);
  if (others.length === 0)
    throw new AppError('INVALID_INPUT', 'Choose at least one other contact to merge');
  let mergeId = '';
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: contacts.id, email: contacts.email, name: contacts.name })
      .from(contacts)
      .where(and(eq(contacts.userId, userId), inArray(contacts.id, [keepId, ...others])));
    if (rows.length !== others.length + 1) throw notFound('Contact');
    const merged = rows.filter((r) => r.id !== keepId);
    const [record] = await tx
      .insert(contactMerges)
      .values({
        userId,
        keptContactId: keepId,
        mergedEmails: merged.map((r) => r.email),
        mergedNames: merged.map((r) => r.name ?? r.email),
        snapshot: await mergeSnapshot(tx, keepId, others),
      })
      .returning({ id: contactMerges.id });
    mergeId = record!.id;
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
  return { kept: keepId, merged: others.length, mergeId };
}

export type MergeRecord = {
  id: string;
  keptContactId: string;
  keptName: string | null;
  keptEmail: string;
  mergedEmails: string[];
  mergedNames: string[];
  createdAt: Date;
};

/** Merges not undone, newest first: into one contact, or all of the user's. */
export async function mergeHistory(
  db: Db,
  userId: string,
  options: { contactId?: string; limit?: number } = {},
): Promise<MergeRecord[]> {
  return db
    .select({
      id: contactMerges.id,
      keptContactId: contactMerges.keptContactId,
      keptName: contacts.name,
      keptEmail: contacts.email,
      mergedEmails: contactMerges.mergedEmails,
      mergedNames: contactMerges.mergedNames,
      createdAt: contactMerges.createdAt,
    })
    .from(contactMerges)
    .innerJoin(contacts, eq(contacts.id, contactMerges.keptContactId))
    .where(
      and(
        eq(contactMerges.userId, userId),
        isNull(contactMerges.undoneAt),
        options.contactId ? eq(contactMerges.keptContactId, options.contactId) : undefined,
      ),
    )
    .orderBy(desc(contactMerges.createdAt))
    .limit(options.limit ?? 20);
}

/** Every address of a contact (a merge gives it several), its primary one first. */
export async function contactAddresses(db: Db, userId: string, contactId: string) {
  const rows = await db
    .select({
      email: contactEmails.email,
      primary: sql<boolean>`lower(${contactEmails.email}) = lower(${contacts.email})`,
    })
    .from(contactEmails)
    .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
    .where(and(eq(contactEmails.contactId, contactId), eq(contacts.userId, userId)))
    .orderBy(
      desc(sql`lower(${contactEmails.email}) = lower(${contacts.email})`),
      contactEmails.email,
    );
  if (rows.length === 0) throw notFound('Contact');
  return rows.map((r) => r.email);
}
