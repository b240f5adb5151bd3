import { and, eq, sql } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf, type Db, type DbOrTx } from '@/server/db/client';
import { contactMerges, type MergeSnapshot } from '@/server/db/schema';
import { AppError, notFound } from '@/server/errors/app-error';
import { dismissDuplicates } from './duplicate-queue';

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;

/**
 * Every row a merge of `mergeIds` into `keepId` changes or removes, as it is now: the contacts,
 * their addresses, interactions and enrichments, and the roles of the kept contact's
 * interactions on the same messages.
 */
export async function mergeSnapshot(
  tx: DbOrTx,
  keepId: string,
  mergeIds: string[],
): Promise<MergeSnapshot> {
  const ids = sql`${sql.param(mergeIds)}::uuid[]`;
  const [row] = rowsOf<MergeSnapshot>(
    await tx.execute(sql`
      SELECT
        (SELECT to_jsonb(c) FROM contacts c WHERE c.id = ${keepId}) AS kept,
        (SELECT coalesce(jsonb_agg(to_jsonb(c)), '[]') FROM contacts c WHERE c.id = ANY(${ids})) AS merged,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'email', e.email, 'contactId', e.contact_id)), '[]')
           FROM contact_emails e WHERE e.contact_id = ANY(${ids})) AS addresses,
        (SELECT coalesce(jsonb_agg(to_jsonb(i)), '[]') FROM interactions i WHERE i.contact_id = ANY(${ids})) AS interactions,
        (SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('id', k.id, 'role', k.role)), '[]')
           FROM interactions k JOIN interactions i ON i.email_id = k.email_id
          WHERE k.contact_id = ${keepId} AND i.contact_id = ANY(${ids})) AS "keptRoles",
        (SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]') FROM enrichments x WHERE x.contact_id = ANY(${ids})) AS enrichments`),
  );
  return row!;
}

/**
 * Undoes a merge: the merged contacts come back as they were, with their addresses, their
 * interactions (and those of mail that reached their addresses since), their enrichments; the
 * kept contact gets its fields back; the pair is marked as two people, so it is not suggested
 * again; stats are recomputed for all of them.
 */
export async function undoMerge(db: Db, userId: string, mergeId: string) {
  return db.transaction(async (tx) => {
    const [merge] = await tx
      .select()
      .from(contactMerges)
      .where(and(eq(contactMerges.id, mergeId), eq(contactMerges.userId, userId)))
      .for('update');
    if (!merge) throw notFound('Merge');
    if (merge.undoneAt) throw new AppError('CONFLICT', 'This merge was already undone');
    const s = merge.snapshot;
    const keep = merge.keptContactId;
    const restored = s.merged.map((c) => c.id as string);
    // A snapshot is data (a restored backup's, say): every row it gives back is this user's,
    // and points only at this user's rows (the merged contacts, the kept one, their mail).
    const mine = <T extends Record<string, unknown>>(rows: T[]) =>
      rows.map((r) => ({ ...r, user_id: userId }));
    const ours = sql`${sql.param([keep, ...restored])}::uuid[]`;
    const taken = rowsOf<{ email: string }>(
      await tx.execute(sql`
        SELECT c.email FROM contacts c, jsonb_to_recordset(${json(s.merged)}) AS m(email text)
         WHERE c.user_id = ${userId} AND lower(c.email) = lower(m.email)`),
    );
    if (taken.length)
      throw new AppError('CONFLICT', `${taken[0]!.email} is a contact of its own again`);
    await tx.execute(sql`INSERT INTO contacts
      SELECT * FROM jsonb_populate_recordset(null::contacts, ${json(mine(s.merged))})`);
    await tx.execute(sql`UPDATE contact_emails e SET contact_id = a."contactId"
      FROM jsonb_to_recordset(${json(s.addresses)}) AS a(id uuid, "contactId" uuid)
      WHERE e.id = a.id AND e.user_id = ${userId} AND a."contactId" = ANY(${ours})`);
    const moved = s.interactions.map((i) => i.id as string);
    await tx.execute(sql`DELETE FROM interactions
      WHERE user_id = ${userId} AND id = ANY(${sql.param(moved)}::uuid[])`);
    await tx.execute(sql`INSERT INTO interactions
      SELECT r.* FROM jsonb_populate_recordset(null::interactions, ${json(mine(s.interactions))}) r
       WHERE r.contact_id = ANY(${ours})
         AND EXISTS (SELECT 1 FROM emails e WHERE e.id = r.email_id AND e.user_id = ${userId})
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`UPDATE interactions k SET role = r.role
      FROM jsonb_to_recordset(${json(s.keptRoles)}) AS r(id uuid, role text)
      WHERE k.id = r.id AND k.contact_id = ${keep}`);
    // Mail since the merge that reached a restored address (and none of the kept contact's).
    await tx.execute(sql`UPDATE interactions i SET contact_id = ce.contact_id
      FROM emails e, contact_emails ce
      WHERE i.user_id = ${userId} AND i.contact_id = ${keep} AND e.id = i.email_id
        AND ce.user_id = ${userId} AND ce.contact_id = ANY(${sql.param(restored)}::uuid[])
        AND lower(ce.email) = ANY(e.participants)
        AND NOT EXISTS (SELECT 1 FROM contact_emails k
                         WHERE k.contact_id = ${keep} AND lower(k.email) = ANY(e.participants))
        AND NOT EXISTS (SELECT 1 FROM interactions x
                         WHERE x.email_id = i.email_id AND x.contact_id = ce.contact_id)`);
    await tx.execute(sql`UPDATE contacts c SET name = k.name, name_confidence = k.name_confidence,
        company = k.company, company_domain = k.company_domain, title = k.title, phones = k.phones,
        links = k.links, location = k.location, is_human = k.is_human, field_sources = k.field_sources,
        user_edited_fields = k.user_edited_fields, notes = k.notes, tags = k.tags,
        custom_fields = k.custom_fields, updated_at = now()
      FROM jsonb_populate_record(null::contacts, ${json(s.kept)}) k
      WHERE c.id = ${keep} AND c.user_id = ${userId}`);
    await tx.execute(sql`INSERT INTO enrichments
      SELECT r.* FROM jsonb_populate_recordset(null::enrichments, ${json(mine(s.enrichments))}) r
       WHERE r.contact_id = ANY(${ours})
      ON CONFLICT DO NOTHING`);
    await tx
      .update(contactMerges)
      .set({ undoneAt: new Date() })
      .where(eq(contactMerges.id, mergeId));
    await dismissDuplicates(tx, userId, [keep, ...restored]);
    await recomputeStats(tx, { userId, contactIds: [keep, ...restored] });
    return { kept: keep, restored };
  });
}
