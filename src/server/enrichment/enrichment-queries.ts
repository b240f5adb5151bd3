import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { notFound } from '@/server/errors/app-error';
import type { EnrichedFields } from './types';

type EnrichmentRow = {
  source: string;
  status: 'ok' | 'not_found' | 'error';
  data: EnrichedFields & { confidence?: number; sourceUrl?: string };
  error: string | null;
  fetchedAt: Date;
  expiresAt: Date;
};

/**
 * What each provider said about a contact (cached results), for the contact page. One query
 * whether or not there are any (most contacts have none): the contact's row, joined to its
 * results; no row means another user's id (NOT_FOUND).
 */
export async function contactEnrichments(db: DbOrTx, userId: string, contactId: string) {
  const rows = rowsOf<EnrichmentRow | { [K in keyof EnrichmentRow]: null }>(
    await db.execute(sql`
      SELECT e.source, e.status, e.data, e.error, e.fetched_at AS "fetchedAt", e.expires_at AS "expiresAt"
        FROM contacts c
        LEFT JOIN enrichments e ON e.contact_id = c.id AND e.user_id = c.user_id
       WHERE c.id = ${contactId} AND c.user_id = ${userId}
       ORDER BY e.source`),
  );
  if (rows.length === 0) throw notFound('Contact');
  return rows.filter((r): r is EnrichmentRow => r.source !== null);
}
