import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '@/server/db/client';
import { jsonRows } from '@/server/mail/json-param';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { contactCandidates } from './contact-candidates';
import { applySenderRules, loadSenderRules } from './sender-rules';

/** Upserts the batch's people; returns address → contact id and how many were new. */
export async function upsertContacts(
  tx: Tx,
  mailbox: { userId: string; owners: Set<string> },
  messages: ParsedMessage[],
  options: { freshVerdicts?: boolean } = {},
) {
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
        SELECT k.*, c.id, c.name AS old_name, c.company AS old_company, c.title AS old_title,
          c.is_human AS old_is_human, c.classification_reason AS old_reason,
          NOT ('name' = ANY(c.user_edited_fields)) AND k.name IS NOT NULL
            AND (c.name IS NULL OR coalesce(k."nameConfidence", 0) > coalesce(c.name_confidence, 0)) AS take_name,
          NOT ('company' = ANY(c.user_edited_fields)) AND k.company IS NOT NULL
            AND (c.company IS NULL OR (k."companySource" = 'signature'
              AND (c.field_sources->'company'->>'source' IS DISTINCT FROM 'signature'
                OR k."evidenceAt" >= coalesce((c.field_sources->'company'->>'at')::timestamptz, '-infinity')))) AS take_company,
          NOT ('title' = ANY(c.user_edited_fields)) AND k.title IS NOT NULL
            AND (c.title IS NULL OR k."evidenceAt" >= coalesce((c.field_sources->'title'->>'at')::timestamptz, '-infinity')) AS take_title,
          NOT ('phones' = ANY(c.user_edited_fields)) AND jsonb_array_length(k.phones) > 0 AND NOT (c.phones @> k.phones) AS take_phones,
          NOT ('links' = ANY(c.user_edited_fields)) AND k.links <> '{}'::jsonb AND NOT (c.links @> k.links) AS take_links,
          NOT ('location' = ANY(c.user_edited_fields)) AND k.location IS NOT NULL AND k.location IS DISTINCT FROM c.location AS take_location,
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
            OR d.take_phones OR d.take_links OR d.take_location AS changed,
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
      -- heap-only update.
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
          phones = CASE WHEN d.take_phones THEN (
              SELECT coalesce(jsonb_agg(x), '[]'::jsonb) FROM (
                SELECT DISTINCT ON (x->>'number') x FROM jsonb_array_elements(d.phones || c.phones) x) p)
            ELSE c.phones END,
          links = CASE WHEN d.take_links THEN c.links || d.links ELSE c.links END,
          location = CASE WHEN d.take_location THEN d.location ELSE c.location END,
          field_sources = c.field_sources || jsonb_strip_nulls(jsonb_build_object(
            'name', CASE WHEN d.take_name THEN jsonb_build_object('source', d."nameSource", 'confidence', d."nameConfidence", 'at', coalesce(d."evidenceAt", now())) END,
            'company', CASE WHEN d.take_company THEN jsonb_build_object('source', d."companySource", 'confidence', CASE WHEN d."companySource" = 'signature' THEN 0.9 ELSE 0.5 END, 'at', coalesce(d."evidenceAt", now())) END,
            'title', CASE WHEN d.take_title THEN jsonb_build_object('source', 'signature', 'confidence', 0.85, 'at', d."evidenceAt") END,
            'phones', CASE WHEN d.take_phones THEN jsonb_build_object('source', 'signature', 'confidence', 0.9, 'at', d."evidenceAt") END,
            'links', CASE WHEN d.take_links THEN jsonb_build_object('source', 'signature', 'confidence', 0.9, 'at', d."evidenceAt") END,
            'location', CASE WHEN d.take_location THEN jsonb_build_object('source', 'signature', 'confidence', 0.7, 'at', d."evidenceAt") END)),
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
          jsonb_strip_nulls(jsonb_build_object(
            'name', CASE WHEN v.name IS NOT NULL THEN jsonb_build_object('source', v."nameSource", 'confidence', v."nameConfidence", 'at', coalesce(v."evidenceAt", now())) END,
            'company', CASE WHEN v.company IS NOT NULL THEN jsonb_build_object('source', v."companySource", 'confidence', CASE WHEN v."companySource" = 'signature' THEN 0.9 ELSE 0.5 END, 'at', coalesce(v."evidenceAt", now())) END,
            'title', CASE WHEN v.title IS NOT NULL THEN jsonb_build_object('source', 'signature', 'confidence', 0.85, 'at', v."evidenceAt") END,
            'phones', CASE WHEN jsonb_array_length(v.phones) > 0 THEN jsonb_build_object('source', 'signature', 'confidence', 0.9, 'at', v."evidenceAt") END,
            'links', CASE WHEN v.links <> '{}'::jsonb THEN jsonb_build_object('source', 'signature', 'confidence', 0.9, 'at', v."evidenceAt") END,
            'location', CASE WHEN v.location IS NOT NULL THEN jsonb_build_object('source', 'signature', 'confidence', 0.7, 'at', v."evidenceAt") END))
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
