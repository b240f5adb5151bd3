import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx } from '@/server/db/client';
import { notFound } from '@/server/errors/app-error';
import { findDuplicates, pairKey, type DuplicateCandidate } from './find-duplicates';

export type DuplicateMember = {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  totalEmails: number;
  corresponded: boolean;
  addresses: string[];
};

export type DuplicateSuggestion = {
  id: string;
  /** The first member's name (the contact a merge keeps), for a heading. */
  name: string;
  contactIds: string[];
  /** Each member's primary address, in the members' order. */
  emails: string[];
  members: DuplicateMember[];
  reasons: string[];
  confidence: number;
};

/** What the queue was found from: the user's contacts as they stand, and their verdicts. */
async function fingerprint(db: DbOrTx, userId: string) {
  const [row] = rowsOf<{ f: string }>(
    await db.execute(sql`
      SELECT concat_ws(':',
        (SELECT count(*) FROM contacts WHERE user_id = ${userId}),
        (SELECT max(updated_at) FROM contacts WHERE user_id = ${userId}),
        (SELECT count(*) FROM duplicate_dismissals WHERE user_id = ${userId})) AS f`),
  );
  return row!.f;
}

/** Finds the user's duplicates again and replaces the queue with them. */
async function rescan(db: Db, userId: string, print: string) {
  await db.transaction(async (tx) => {
    // One scan at a time per user; a second one waiting finds the work done.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`duplicates:${userId}`}))`);
    const [done] = rowsOf<{ fingerprint: string }>(
      await tx.execute(
        sql`SELECT fingerprint FROM duplicate_scans WHERE user_id = ${userId} FOR UPDATE`,
      ),
    );
    if (done?.fingerprint === print) return;
    const candidates = rowsOf<DuplicateCandidate>(
      await tx.execute(sql`
        SELECT c.id, lower(c.email) AS email, c.name,
               CASE WHEN c.field_sources->'company'->>'source' IS DISTINCT FROM 'domain'
                    THEN c.company END AS company,
               coalesce((SELECT array_agg(p->>'number') FROM jsonb_array_elements(c.phones) p
                          WHERE p->>'number' LIKE '+%'), '{}') AS phones,
               coalesce(s.total_emails, 0)::int AS "totalEmails"
          FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
         WHERE c.user_id = ${userId} AND c.is_human AND NOT c.hidden`),
    );
    const dismissed = rowsOf<{ a: string; b: string }>(
      await tx.execute(sql`SELECT contact_a AS a, contact_b AS b FROM duplicate_dismissals
        WHERE user_id = ${userId}`),
    );
    const groups = findDuplicates(candidates, new Set(dismissed.map((d) => pairKey(d.a, d.b))));
    await tx.execute(sql`DELETE FROM duplicate_suggestions WHERE user_id = ${userId}`);
    if (groups.length)
      await tx.execute(sql`
        INSERT INTO duplicate_suggestions (user_id, contact_ids, reasons, confidence)
        SELECT ${userId}, ARRAY(SELECT jsonb_array_elements_text(g->'contactIds'))::uuid[],
               g->'reasons', (g->>'confidence')::real
          FROM jsonb_array_elements(${JSON.stringify(groups)}::jsonb) g`);
    await tx.execute(sql`
      INSERT INTO duplicate_scans (user_id, fingerprint, scanned_at)
      VALUES (${userId}, ${print}, now())
      ON CONFLICT (user_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, scanned_at = now()`);
  });
}

/**
 * The duplicate review queue, surest first: found again only when the user's contacts changed
 * since the last look (a new contact, a name read anew, a merge, a verdict), else read as kept.
 */
export async function duplicateQueue(
  db: Db,
  userId: string,
  limit = 20,
): Promise<DuplicateSuggestion[]> {
  const print = await fingerprint(db, userId);
  const [scan] = rowsOf<{ fingerprint: string }>(
    await db.execute(sql`SELECT fingerprint FROM duplicate_scans WHERE user_id = ${userId}`),
  );
  if (scan?.fingerprint !== print) await rescan(db, userId, print);
  const rows = rowsOf<Omit<DuplicateSuggestion, 'name' | 'emails'>>(
    await db.execute(sql`
      SELECT d.id, d.contact_ids AS "contactIds", d.reasons, d.confidence,
             (SELECT jsonb_agg(jsonb_build_object(
                       'id', c.id, 'email', c.email, 'name', c.name, 'company', c.company,
                       'totalEmails', coalesce(s.total_emails, 0),
                       'corresponded', coalesce(s.corresponded, false),
                       'addresses', (SELECT coalesce(jsonb_agg(e.email ORDER BY e.email), '[]')
                                       FROM contact_emails e WHERE e.contact_id = c.id))
                     ORDER BY array_position(d.contact_ids, c.id))
                FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
               WHERE c.id = ANY(d.contact_ids) AND c.user_id = ${userId} AND NOT c.hidden) AS members
        FROM duplicate_suggestions d
       WHERE d.user_id = ${userId}
       ORDER BY d.confidence DESC, d.id
       LIMIT ${limit}`),
  );
  return rows
    .filter((r) => r.members && r.members.length === r.contactIds.length)
    .map((r) => ({
      ...r,
      name: r.members[0]!.name ?? r.members[0]!.email,
      emails: r.members.map((m) => m.email),
    }));
}

/** "Not the same person": every pair among these contacts is kept apart from now on. */
export async function dismissDuplicates(db: DbOrTx, userId: string, contactIds: string[]) {
  const ids = [...new Set(contactIds)].sort();
  const [mine] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM contacts
      WHERE user_id = ${userId} AND id = ANY(${sql.param(ids)}::uuid[])`),
  );
  if (mine?.n !== ids.length) throw notFound('Contact');
  const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ a, b })));
  if (pairs.length === 0) return { dismissed: 0 };
  const rows = rowsOf<{ a: string }>(
    await db.execute(sql`
      INSERT INTO duplicate_dismissals (user_id, contact_a, contact_b)
      SELECT ${userId}, p.a, p.b FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS p(a uuid, b uuid)
      ON CONFLICT DO NOTHING
      RETURNING contact_a AS a`),
  );
  return { dismissed: rows.length };
}
