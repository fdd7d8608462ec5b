ALTER TABLE "code_batches" DROP CONSTRAINT "code_batches_kind";--> statement-breakpoint
ALTER TABLE "code_batches" DROP CONSTRAINT "code_batches_gives";--> statement-breakpoint
ALTER TABLE "code_batches" ADD COLUMN "package_id" integer;--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "package_id" integer;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_kind" CHECK ("code_batches"."kind" in ('credits', 'package'));--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_gives" CHECK (("code_batches"."kind" = 'credits' and "code_batches"."credits" > 0 and "code_batches"."package_id" is null) or ("code_batches"."kind" = 'package' and "code_batches"."package_id" is not null and "code_batches"."credits" is null));