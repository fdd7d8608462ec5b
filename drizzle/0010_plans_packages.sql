CREATE TABLE "allowance_uses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "allowance_uses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"grant_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"units" bigint NOT NULL,
	"credits" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allowance_uses_amounts" CHECK ("allowance_uses"."units" > 0 and "allowance_uses"."credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "packages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "packages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"amount" bigint NOT NULL,
	"bonus" bigint DEFAULT 0 NOT NULL,
	"price" bigint NOT NULL,
	"currency" text NOT NULL,
	"validity_days" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "packages_unit" CHECK ("packages"."unit" in ('credits', 'tokens', 'images')),
	CONSTRAINT "packages_amounts" CHECK ("packages"."amount" > 0 and "packages"."bonus" >= 0 and "packages"."bonus" <= 10 * "packages"."amount" and "packages"."price" >= 0),
	CONSTRAINT "packages_validity" CHECK ("packages"."validity_days" is null or "packages"."validity_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"price" bigint NOT NULL,
	"currency" text NOT NULL,
	"period" text DEFAULT 'monthly' NOT NULL,
	"allowance_credits" bigint DEFAULT 0 NOT NULL,
	"allowance_tokens" bigint DEFAULT 0 NOT NULL,
	"allowance_images" bigint DEFAULT 0 NOT NULL,
	"rollover_cap_percent" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_price" CHECK ("plans"."price" >= 0),
	CONSTRAINT "plans_period" CHECK ("plans"."period" in ('monthly')),
	CONSTRAINT "plans_allowance" CHECK ("plans"."allowance_credits" >= 0 and "plans"."allowance_tokens" >= 0 and "plans"."allowance_images" >= 0 and "plans"."allowance_credits" + "plans"."allowance_tokens" + "plans"."allowance_images" > 0),
	CONSTRAINT "plans_rollover" CHECK ("plans"."rollover_cap_percent" is null or "plans"."rollover_cap_percent" between 0 and 1000)
);
--> statement-breakpoint
CREATE TABLE "subscription_periods" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscription_periods_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"subscription_id" integer NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"grants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_periods_window" CHECK ("subscription_periods"."period_end" > "subscription_periods"."period_start")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"paid_through" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"order_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_status" CHECK ("subscriptions"."status" in ('active', 'ended')),
	CONSTRAINT "subscriptions_window" CHECK ("subscriptions"."paid_through" > "subscriptions"."started_at")
);
--> statement-breakpoint
ALTER TABLE "credit_grants" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "image_price" bigint;--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "min_charge" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "type" text DEFAULT 'text' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "images" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "kind" text DEFAULT 'recharge' NOT NULL;--> statement-breakpoint
ALTER TABLE "allowance_uses" ADD CONSTRAINT "allowance_uses_grant_id_credit_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."credit_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_periods" ADD CONSTRAINT "subscription_periods_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_uses_once" ON "allowance_uses" USING btree ("request_id","grant_id");--> statement-breakpoint
CREATE INDEX "allowance_uses_grant_idx" ON "allowance_uses" USING btree ("grant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_periods_once" ON "subscription_periods" USING btree ("subscription_id","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_one_active" ON "subscriptions" USING btree ("user_id","plan_id") WHERE "subscriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "subscriptions_user_idx" ON "subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_grants_idempotency_key" ON "credit_grants" USING btree ("idempotency_key");--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_non_negative" CHECK ("model_prices"."input_price" >= 0 and "model_prices"."output_price" >= 0 and coalesce("model_prices"."image_price", 0) >= 0 and "model_prices"."min_charge" >= 0);--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_type" CHECK ("models"."type" in ('text', 'image'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_kind" CHECK ("orders"."kind" in ('recharge', 'plan', 'package'));