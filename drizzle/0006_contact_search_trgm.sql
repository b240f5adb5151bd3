-- Trigram indexes for substring search on contacts; pg_trgm is a trusted extension (PostgreSQL 13+),
-- and PGlite loads it (db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "contacts_name_trgm_idx" ON "contacts" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_email_trgm_idx" ON "contacts" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_company_trgm_idx" ON "contacts" USING gin ("company" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_local_part_trgm_idx" ON "contacts" USING gin (split_part("email", '@', 1) gin_trgm_ops);