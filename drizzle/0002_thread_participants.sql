CREATE TABLE "thread_participants" (
	"user_id" text NOT NULL,
	"participant" text NOT NULL,
	"subject_norm" text NOT NULL,
	"thread_id" text NOT NULL,
	"first_at" timestamp with time zone,
	"last_at" timestamp with time zone,
	CONSTRAINT "thread_participants_user_id_participant_subject_norm_thread_id_pk" PRIMARY KEY("user_id","participant","subject_norm","thread_id")
);
--> statement-breakpoint
ALTER TABLE "thread_participants" ADD CONSTRAINT "thread_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;