ALTER TABLE "contact_stats" ADD COLUMN "conversations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_stats" ADD COLUMN "active_months" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_stats" ADD COLUMN "corresponded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "contact_stats_user_network_idx" ON "contact_stats" USING btree ("user_id","contact_id") WHERE corresponded;