ALTER TABLE "users" ADD COLUMN "login_type" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "wechat_openid" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "wechat_unionid" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "alipay_userid" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "external_data" jsonb;