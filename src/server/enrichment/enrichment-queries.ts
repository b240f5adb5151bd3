import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { ownContactRows } from '@/server/contacts/timeline';
import type { EnrichedFields } from './types';

/** What each provider said about a contact (cached results), for the contact page. */
export async function contactEnrichments(db: DbOrTx, userId: string, contactId: string) {
  const rows = rowsOf<{
    source: string;
    status: 'ok' | 'not_found' | 'error';
    data: EnrichedFields & { confidence?: number; sourceUrl?: string };
    error: string | null;
    fetchedAt: Date;
    expiresAt: Date;
  }>(
    await db.execute(sql`
      SELECT source, status, data, error, fetched_at AS "fetchedAt", expires_at AS "expiresAt"
        FROM enrichments WHERE contact_id = ${contactId} AND user_id = ${userId}
       ORDER BY source`),
  );
  return ownContactRows(db, userId, contactId, rows);
}
