CREATE TABLE "assistant_results" (
	"user_id" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assistant_results_contact_id_kind_pk" PRIMARY KEY("contact_id","kind")
);
--> statement-breakpoint
ALTER TABLE "assistant_results" ADD CONSTRAINT "assistant_results_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_results" ADD CONSTRAINT "assistant_results_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;