import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Tx } from '@/server/db/client';
import { jsonRows } from '@/server/mail/json-param';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { contactCandidates } from './contact-candidates';
import { applySenderRules, loadSenderRules } from './sender-rules';

/** The contact fields extraction fills (enrichment and the user may fill them too). */
export const EXTRACTED_FIELDS = [
  'name',
  'company',
  'title',
  'phones',
  'links',
  'location',
] as const;
export type ExtractedField = (typeof EXTRACTED_FIELDS)[number];
/** A field name as an SQL string literal (they are this module's own constants). */
const literal = (field: ExtractedField) => sql.raw(`'${field}'`);
/** The field sources extraction writes (enrichment's are 'enrichment:…'). */
const EXTRACTION_SOURCES = sql.raw(`('signature', 'header', 'address', 'domain')`);

/**
 * Whether the contact (table alias `c`) holds `field` as extraction wrote it before `before`
 * (a timestamptz): not the user's (their edits are never touched) and not enrichment's.
 */
export function extractedBefore(field: ExtractedField, before: SQL) {
  const f = literal(field);
  return sql`(NOT (${f} = ANY(c.user_edited_fields))
    AND c.field_sources->${f}->>'source' IN ${EXTRACTION_SOURCES}
    AND coalesce((c.field_sources->${f}->>'extractedAt')::timestamptz, '-infinity') < ${before})`;
}

/**
 * The field sources of the fields a row of evidence (alias `r`) fills, where `takes` says so:
 * where the value came from, how sure it is, the evidence's date and when extraction wrote it.
 */
function sourcesOf(r: 'd' | 'v', takes: Record<ExtractedField, SQL>) {
  const at = sql.raw(`${r}."evidenceAt"`);
  const entry = (field: ExtractedField, source: SQL, confidence: SQL, atValue: SQL = at) =>
    sql`${literal(field)}, CASE WHEN ${takes[field]} THEN jsonb_build_object('source', ${source},
      'confidence', ${confidence}, 'at', ${atValue}, 'extractedAt', now()) END`;
  const signature = sql`'signature'`;
  return sql`jsonb_strip_nulls(jsonb_build_object(
    ${entry('name', sql.raw(`${r}."nameSource"`), sql.raw(`${r}."nameConfidence"`), sql`coalesce(${at}, now())`)},
    ${entry('company', sql.raw(`${r}."companySource"`), sql.raw(`CASE WHEN ${r}."companySource" = 'signature' THEN 0.9 ELSE 0.5 END`), sql`coalesce(${at}, now())`)},
    ${entry('title', signature, sql`0.85`)},
    ${entry('phones', signature, sql`0.9`)},
    ${entry('links', signature, sql`0.9`)},
    ${entry('location', signature, sql`0.7`)}))`;
}

/** Upserts the batch's people; returns address → contact id and how many were new. */
export async function upsertContacts(
  tx: Tx,
  mailbox: { userId: string; owners: Set<string> },
  messages: ParsedMessage[],
  options: {
    /** Human/robot verdicts replace the stored ones (rather than a robot verdict standing). */
    freshVerdicts?: boolean;
    /**
     * Fields extraction wrote before this moment give way to whatever this evidence says, even
     * weaker evidence (a re-extraction's start: values older rules got wrong are replaced).
     */
    staleBefore?: Date;
  } = {},
) {
  const before = options.staleBefore
    ? sql`${options.staleBefore.toISOString()}::timestamptz`
    : null;
  const stale = (field: ExtractedField) => (before ? extractedBefore(field, before) : sql`false`);
  const rules = await loadSenderRules(tx, mailbox.userId);
  const candidates = applySenderRules(contactCandidates(messages, mailbox.owners), rules);
  if (candidates.length === 0) {
    return { ids: new Map<string, string>(), created: 0, fresh: [], changed: [] };
  }
  const rows = rowsOf<{ id: string; email: string; inserted: boolean; changed: boolean }>(
    await tx.execute(sql`
      WITH v AS (
        SELECT * FROM json_to_recordset(${jsonRows(candidates)}::json)
          AS v(email text, name text, "nameConfidence" real, "nameSource" text, "isHuman" boolean,
               reason text, company text, "companySource" text, "companyDomain" text, title text,
               phones jsonb, links jsonb, location text, "evidenceAt" timestamptz)
      ),
      -- Each address looked up by its own index entry (a scan of all the user's addresses per
      -- batch grew with the mailbox).
      known AS (
        SELECT ce.contact_id, v.* FROM v
          CROSS JOIN LATERAL (SELECT contact_id FROM contact_emails
            WHERE user_id = ${mailbox.userId} AND lower(email) = v.email) ce
      ),
      decided AS (
        -- What each field becomes: user-edited fields never change; a more confident name,
        -- a signature company over a domain guess, and newer signature evidence win.
        -- A stale field (see staleBefore) takes any evidence, and is replaced, not added to.
        SELECT k.*, c.id, c.name AS old_name, c.company AS old_company, c.title AS old_title,
          c.phones AS old_phones, c.links AS old_links, c.location AS old_location,
          c.is_human AS old_is_human, c.classification_reason AS old_reason,
          ${stale('phones')} AS stale_phones, ${stale('links')} AS stale_links,
          NOT ('name' = ANY(c.user_edited_fields)) AND k.name IS NOT NULL
            AND (c.name IS NULL OR ${stale('name')}
              OR coalesce(k."nameConfidence", 0) > coalesce(c.name_confidence, 0)) AS take_name,
          NOT ('company' = ANY(c.user_edited_fields)) AND k.company IS NOT NULL
            AND (c.company IS NULL OR ${stale('company')} OR (k."companySource" = 'signature'
              AND (c.field_sources->'company'->>'source' IS DISTINCT FROM 'signature'
                OR k."evidenceAt" >= coalesce((c.field_sources->'company'->>'at')::timestamptz, '-infinity')))) AS take_company,
          NOT ('title' = ANY(c.user_edited_fields)) AND k.title IS NOT NULL
            AND (c.title IS NULL OR ${stale('title')}
              OR k."evidenceAt" >= coalesce((c.field_sources->'title'->>'at')::timestamptz, '-infinity')) AS take_title,
          NOT ('phones' = ANY(c.user_edited_fields)) AND jsonb_array_length(k.phones) > 0
            AND (${stale('phones')} OR NOT (c.phones @> k.phones)) AS take_phones,
          NOT ('links' = ANY(c.user_edited_fields)) AND k.links <> '{}'::jsonb
            AND (${stale('links')} OR NOT (c.links @> k.links)) AS take_links,
          NOT ('location' = ANY(c.user_edited_fields)) AND k.location IS NOT NULL
            AND (${stale('location')} OR k.location IS DISTINCT FROM c.location) AS take_location,
          CASE WHEN 'isHuman' = ANY(c.user_edited_fields) THEN c.is_human
               WHEN ${options.freshVerdicts ?? false}::boolean THEN k."isHuman"
               ELSE c.is_human AND k."isHuman" END AS new_is_human,
          CASE WHEN 'isHuman' = ANY(c.user_edited_fields) THEN c.classification_reason
               WHEN ${options.freshVerdicts ?? false}::boolean OR (c.is_human AND NOT k."isHuman") THEN k.reason
               ELSE c.classification_reason END AS new_reason,
          c.company_domain IS NULL AND k."companyDomain" IS NOT NULL AS take_domain
        FROM known k JOIN contacts c ON c.id = k.contact_id
      ),
      -- Each address's evidence with its own judgement, in one row (joining CTEs back to each
      -- other made the planner loop over one for every row of the other).
      judged AS (
        SELECT d.*,
          (d.take_name AND d.old_name IS DISTINCT FROM d.name)
            OR (d.take_company AND d.old_company IS DISTINCT FROM d.company)
            OR (d.take_title AND d.old_title IS DISTINCT FROM d.title)
            OR (d.take_phones AND (NOT d.stale_phones OR d.old_phones IS DISTINCT FROM d.phones))
            OR (d.take_links AND (NOT d.stale_links OR d.old_links IS DISTINCT FROM d.links))
            OR (d.take_location AND d.old_location IS DISTINCT FROM d.location) AS changed,
          d.new_is_human IS DISTINCT FROM d.old_is_human OR d.take_domain AS reclassified,
          d.take_name OR d.take_company OR d.take_title OR d.take_phones OR d.take_links
            OR d.take_location OR d.take_domain OR d.new_is_human IS DISTINCT FROM d.old_is_human
            OR d.new_reason IS DISTINCT FROM d.old_reason AS anything
        FROM decided d
      ),
      -- A contact that the batch reaches by several of its addresses is updated once, from
      -- the address with the newest evidence among those that change something (an UPDATE
      -- joined to two rows of one contact applies either).
      chosen AS (
        SELECT DISTINCT ON (j.id) j.* FROM judged j WHERE j.anything
         ORDER BY j.id, j."evidenceAt" DESC NULLS LAST, j.email
      ),
      -- Only contacts something changes for: a repeat sender with nothing new is not rewritten
      -- (each rewrite was a new row version with entries in every index, trigram ones too,
      -- which the searches then had to wade through until a vacuum). Newer evidence of the
      -- same value (a signature seen again) moves only field_sources, no indexed column: a
      -- heap-only update (as is a stale field found again as it was).
      updated AS (
        UPDATE contacts c SET
          name = CASE WHEN d.take_name THEN d.name ELSE c.name END,
          name_confidence = CASE WHEN d.take_name THEN d."nameConfidence" ELSE c.name_confidence END,
          -- From the row as locked (not the CTE's snapshot): a user's edit that committed
          -- meanwhile stands.
          is_human = CASE WHEN 'isHuman' = ANY(c.user_edited_fields) THEN c.is_human
                          WHEN ${options.freshVerdicts ?? false}::boolean THEN d."isHuman"
                          ELSE c.is_human AND d."isHuman" END,
          classification_reason = CASE WHEN 'isHuman' = ANY(c.user_edited_fields) THEN c.classification_reason
                                  WHEN ${options.freshVerdicts ?? false}::boolean OR (c.is_human AND NOT d."isHuman") THEN d.reason
                                  ELSE c.classification_reason END,
          company = CASE WHEN d.take_company THEN d.company ELSE c.company END,
          company_domain = coalesce(c.company_domain, d."companyDomain"),
          title = CASE WHEN d.take_title THEN d.title ELSE c.title END,
          phones = CASE WHEN NOT d.take_phones THEN c.phones WHEN d.stale_phones THEN d.phones
            ELSE (SELECT coalesce(jsonb_agg(x), '[]'::jsonb) FROM (
                    SELECT DISTINCT ON (x->>'number') x FROM jsonb_array_elements(d.phones || c.phones) x) p)
            END,
          links = CASE WHEN NOT d.take_links THEN c.links WHEN d.stale_links THEN d.links
            ELSE c.links || d.links END,
          location = CASE WHEN d.take_location THEN d.location ELSE c.location END,
          field_sources = c.field_sources || ${sourcesOf('d', {
            name: sql`d.take_name`,
            company: sql`d.take_company`,
            title: sql`d.take_title`,
            phones: sql`d.take_phones`,
            links: sql`d.take_links`,
            location: sql`d.take_location`,
          })},
          updated_at = CASE WHEN d.changed OR d.reclassified THEN now() ELSE c.updated_at END
          FROM chosen d
         WHERE c.id = d.id
        RETURNING c.id, d.changed
      ),
      inserted AS (
        INSERT INTO contacts (user_id, email, name, name_confidence, is_human, classification_reason,
          company, company_domain, title, phones, links, location, field_sources)
        SELECT ${mailbox.userId}, v.email, v.name, v."nameConfidence", v."isHuman", v.reason,
          v.company, v."companyDomain", v.title, v.phones, v.links, v.location,
          ${sourcesOf('v', {
            name: sql`v.name IS NOT NULL`,
            company: sql`v.company IS NOT NULL`,
            title: sql`v.title IS NOT NULL`,
            phones: sql`jsonb_array_length(v.phones) > 0`,
            links: sql`v.links <> '{}'::jsonb`,
            location: sql`v.location IS NOT NULL`,
          })}
        FROM v
         WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.email = v.email)
        ON CONFLICT (user_id, lower(email)) DO UPDATE SET updated_at = contacts.updated_at
        RETURNING id, email, (xmax = 0) AS inserted, false AS changed
      ),
      addresses AS (
        INSERT INTO contact_emails (user_id, contact_id, email)
        SELECT ${mailbox.userId}, id, email FROM inserted WHERE inserted
        ON CONFLICT DO NOTHING
      )
      SELECT k.contact_id AS id, k.email, false AS inserted, coalesce(u.changed, false) AS changed
        FROM known k LEFT JOIN (SELECT id, bool_or(changed) AS changed FROM updated GROUP BY id) u
          ON u.id = k.contact_id
      UNION ALL SELECT * FROM inserted`),
  );
  const fresh = rows.filter((r) => r.inserted);
  return {
    ids: new Map(rows.map((r) => [r.email, r.id])),
    created: fresh.length,
    fresh: fresh.map((r) => ({ id: r.id, email: r.email })),
    /** Existing contacts whose fields this batch improved (once each, whichever address). */
    changed: [...new Map(rows.filter((r) => r.changed).map((r) => [r.id, r])).values()].map(
      (r) => ({ id: r.id, email: r.email }),
    ),
  };
}
