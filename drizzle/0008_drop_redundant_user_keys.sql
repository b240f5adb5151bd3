ALTER TABLE "contact_emails" DROP CONSTRAINT "contact_emails_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "interactions" DROP CONSTRAINT "interactions_user_id_users_id_fk";
