import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { companyKey } from '@/server/db/schema/contacts';

/**
 * Names the companies guessed from an address's domain ("Harborfinch" for harborfinch.com) as
 * the people of that domain sign it ("Harbor & Finch LLP"): where every company read from a
 * signature at that domain is one name (up to case and punctuation), and two people give it,
 * or one does and it starts as the guess does. A domain whose people sign several names
 * (enron.com: "Enron North America Corp.", "Enron Broadband Services") keeps its guess. The
 * field stays the domain's (a guess that a signature of their own replaces, and that
 * re-extraction decides afresh); fields the user edited are never touched.
 *
 * `contactIds`: only the domains of these contacts (an incremental sync's people); otherwise
 * all of the user's. Returns the contacts whose company it renamed.
 */
export async function nameDomainCompanies(
  db: DbOrTx,
  userId: string,
  options: { contactIds?: string[] } = {},
): Promise<{ id: string; email: string }[]> {
  if (options.contactIds && options.contactIds.length === 0) return [];
  const domains = options.contactIds
    ? sql`AND company_domain IN (SELECT company_domain FROM contacts
            WHERE user_id = ${userId} AND id = ANY(${sql.param(options.contactIds)}::uuid[]))`
    : sql``;
  return rowsOf<{ id: string; email: string }>(
    await db.execute(sql`
      WITH signed AS (
        SELECT company_domain AS domain, company, count(*)::int AS n
          FROM contacts
         WHERE user_id = ${userId} AND company_domain IS NOT NULL AND company IS NOT NULL
           AND field_sources->'company'->>'source' = 'signature'
           AND NOT ('company' = ANY(user_edited_fields))
           ${domains}
         GROUP BY company_domain, company
      ),
      agreed AS (
        SELECT domain, (array_agg(company ORDER BY n DESC, company))[1] AS company,
               sum(n)::int AS n
          FROM signed
         GROUP BY domain
        HAVING count(DISTINCT ${companyKey(sql`company`)}) = 1
      )
      UPDATE contacts c SET company = a.company,
        field_sources = c.field_sources || jsonb_build_object('company',
          (c.field_sources->'company') || jsonb_build_object('evidence',
            CASE WHEN a.n = 1 THEN 'as a colleague at ' || a.domain || ' signs it'
                 ELSE 'as ' || a.n || ' colleagues at ' || a.domain || ' sign it' END)),
        updated_at = now()
        FROM agreed a
       WHERE c.user_id = ${userId} AND c.company_domain = a.domain
         AND c.field_sources->'company'->>'source' = 'domain'
         AND NOT ('company' = ANY(c.user_edited_fields))
         AND c.company IS DISTINCT FROM a.company
         AND (a.n >= 2
           OR left(${companyKey(sql`a.company`)}, 4) = left(${companyKey(sql`c.company`)}, 4))
      RETURNING c.id, c.email`),
  );
}
