ALTER TABLE "mail_accounts" ADD COLUMN "bytes_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Mail stored before the column: counted once, so quotas start from the truth.
UPDATE "mail_accounts" a SET "bytes_count" = coalesce((SELECT sum(e."size_bytes") FROM "emails" e WHERE e."account_id" = a."id"), 0);
