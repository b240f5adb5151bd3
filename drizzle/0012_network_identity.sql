CREATE TABLE "contact_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"kept_contact_id" uuid NOT NULL,
	"merged_emails" text[] NOT NULL,
	"merged_names" text[] NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"user_id" text NOT NULL,
	"contact_a" uuid NOT NULL,
	"contact_b" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_dismissals_user_id_contact_a_contact_b_pk" PRIMARY KEY("user_id","contact_a","contact_b")
);
--> statement-breakpoint
CREATE TABLE "duplicate_scans" (
	"user_id" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"contact_ids" uuid[] NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confidence" real NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_stats" ADD COLUMN "conversations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_stats" ADD COLUMN "active_months" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_stats" ADD COLUMN "corresponded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_kept_contact_id_contacts_id_fk" FOREIGN KEY ("kept_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_contact_a_contacts_id_fk" FOREIGN KEY ("contact_a") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_contact_b_contacts_id_fk" FOREIGN KEY ("contact_b") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_scans" ADD CONSTRAINT "duplicate_scans_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_suggestions" ADD CONSTRAINT "duplicate_suggestions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_merges_user_idx" ON "contact_merges" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "contact_merges_kept_idx" ON "contact_merges" USING btree ("kept_contact_id");--> statement-breakpoint
CREATE INDEX "duplicate_suggestions_user_idx" ON "duplicate_suggestions" USING btree ("user_id","confidence" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "contact_stats_user_network_idx" ON "contact_stats" USING btree ("user_id","contact_id") WHERE corresponded;--> statement-breakpoint
-- The network as the stats stood: people the owner wrote to, or who wrote to one of the owner's
-- addresses. The next stats recompute (an import, a sync, the daily job) settles it exactly and
-- rescores everyone by the new formula.
UPDATE "contact_stats" s SET "corresponded" = true
 WHERE s."emails_sent" > 0
    OR EXISTS (
      SELECT 1 FROM "interactions" i JOIN "emails" e ON e."id" = i."email_id" AND e."user_id" = i."user_id"
       WHERE i."contact_id" = s."contact_id" AND i."user_id" = s."user_id" AND i."role" = 'from'
         AND e."participants" && ARRAY(
           SELECT lower(o.a) FROM (
             SELECT m."address" AS a FROM "mail_accounts" m WHERE m."user_id" = s."user_id"
             UNION ALL SELECT unnest(m."aliases") FROM "mail_accounts" m WHERE m."user_id" = s."user_id"
             UNION ALL SELECT u."email" FROM "users" u WHERE u."id" = s."user_id") o));
