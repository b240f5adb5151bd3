-- The assistant's company filter (network-data.ts companyFilter) matches normalised company names
-- and address domains: trigram indexes on exactly those expressions (schema/contacts.ts).
CREATE INDEX "contacts_company_key_trgm_idx" ON "contacts" USING gin (regexp_replace(lower(coalesce("company", '')), '[^a-z0-9]+', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_domain_key_trgm_idx" ON "contacts" USING gin (('.' || regexp_replace(split_part(lower("email"), '@', 2), '[^a-z0-9.]+', '', 'g') || '.') gin_trgm_ops);