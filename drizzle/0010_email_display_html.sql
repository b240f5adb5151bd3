ALTER TABLE "emails" ADD COLUMN "html_sanitized" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "emails" ADD COLUMN "html_as_text" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "emails_html_unsanitized_idx" ON "emails" USING btree ("id") WHERE body_html IS NOT NULL AND NOT html_sanitized;