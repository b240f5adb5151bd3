import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { EnrichmentPipeline } from './pipeline';

export type EnrichBatch = {
  userId: string;
  /** Given contacts; else the user's people still without enrichment (`newOnly`) or all of them. */
  contactIds?: string[];
  newOnly?: boolean;
  force?: boolean;
  only?: string[];
  limit?: number;
  concurrency?: number;
};

/** Runs the pipeline over many contacts, a few at a time (each provider paces itself). */
export async function enrichContacts(db: DbOrTx, pipeline: EnrichmentPipeline, o: EnrichBatch) {
  const ids =
    o.contactIds ??
    rowsOf<{ id: string }>(
      await db.execute(sql`
        SELECT c.id FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
         WHERE c.user_id = ${o.userId} AND c.is_human AND NOT c.hidden
           ${o.newOnly ? sql`AND NOT EXISTS (SELECT 1 FROM enrichments e WHERE e.contact_id = c.id)` : sql``}
         ORDER BY coalesce(s.strength_score, 0) DESC, c.id
         LIMIT ${o.limit ?? 500}`),
    ).map((r) => r.id);
  let next = 0;
  let enriched = 0;
  let failed = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        const r = await pipeline.enrichContact(db, o.userId, id, { force: o.force, only: o.only });
        if (r.sources.some((s) => s.status === 'ok')) enriched++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, ids.length) }, worker));
  return {
    contacts: ids.length,
    enriched,
    failed,
    more: !o.contactIds && ids.length === (o.limit ?? 500),
  };
}
