-- The emails' search vectors move to a table of their own (built on a second connection during
-- bulk imports); the vectors already computed are carried over.
CREATE TABLE "email_search" (
	"email_id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"search" "tsvector" NOT NULL
);
--> statement-breakpoint
INSERT INTO "email_search" ("email_id", "user_id", "search")
  SELECT "id", "user_id", "search" FROM "emails" WHERE "search" IS NOT NULL;--> statement-breakpoint
DROP INDEX "emails_search_idx";--> statement-breakpoint
ALTER TABLE "email_search" ADD CONSTRAINT "email_search_email_id_emails_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."emails"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_search" ADD CONSTRAINT "email_search_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_search_idx" ON "email_search" USING gin ("search");--> statement-breakpoint
ALTER TABLE "emails" DROP COLUMN "search";
