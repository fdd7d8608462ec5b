CREATE TABLE "credit_grants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_grants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"wallet_id" integer NOT NULL,
	"source" text NOT NULL,
	"unit" text DEFAULT 'credits' NOT NULL,
	"original" bigint NOT NULL,
	"remaining" bigint DEFAULT 0 NOT NULL,
	"priority" integer DEFAULT 10 NOT NULL,
	"effective_from" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"memo" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_grants_source" CHECK ("credit_grants"."source" in ('welcome', 'first_recharge_bonus', 'plan_allowance', 'package', 'admin_grant', 'code', 'rebate')),
	CONSTRAINT "credit_grants_unit" CHECK ("credit_grants"."unit" in ('credits', 'tokens', 'images')),
	CONSTRAINT "credit_grants_amounts" CHECK ("credit_grants"."original" > 0 and "credit_grants"."remaining" >= 0 and "credit_grants"."remaining" <= "credit_grants"."original"),
	CONSTRAINT "credit_grants_window" CHECK ("credit_grants"."expires_at" is null or "credit_grants"."expires_at" > "credit_grants"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "hold_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hold_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"hold_id" bigint NOT NULL,
	"event" text NOT NULL,
	"amount" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hold_events_event" CHECK ("hold_events"."event" in ('placed', 'captured', 'released', 'expired')),
	CONSTRAINT "hold_events_amount" CHECK ("hold_events"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "holds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" text NOT NULL,
	"user_id" integer NOT NULL,
	"placed_by" integer NOT NULL,
	"api_key_id" integer,
	"wallet_id" integer NOT NULL,
	"group_id" integer,
	"amount" bigint NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"captured_cost" bigint,
	CONSTRAINT "holds_status" CHECK ("holds"."status" in ('active', 'captured', 'released', 'expired')),
	CONSTRAINT "holds_amount" CHECK ("holds"."amount" > 0),
	CONSTRAINT "holds_resolution" CHECK (("holds"."status" = 'active') = ("holds"."resolved_at" is null) and ("holds"."status" = 'captured') = ("holds"."captured_cost" is not null) and coalesce("holds"."captured_cost", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "grant_id" bigint;--> statement-breakpoint
ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hold_events" ADD CONSTRAINT "hold_events_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_grants_wallet_idx" ON "credit_grants" USING btree ("wallet_id");--> statement-breakpoint
CREATE INDEX "credit_grants_expiry_idx" ON "credit_grants" USING btree ("expires_at") WHERE "credit_grants"."remaining" > 0;--> statement-breakpoint
CREATE UNIQUE INDEX "hold_events_one_each" ON "hold_events" USING btree ("hold_id","event");--> statement-breakpoint
CREATE UNIQUE INDEX "hold_events_one_resolution" ON "hold_events" USING btree ("hold_id") WHERE "hold_events"."event" <> 'placed';--> statement-breakpoint
CREATE UNIQUE INDEX "holds_request_id_key" ON "holds" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "holds_active_wallet_idx" ON "holds" USING btree ("wallet_id") WHERE "holds"."status" = 'active';--> statement-breakpoint
CREATE INDEX "holds_active_expiry_idx" ON "holds" USING btree ("expires_at") WHERE "holds"."status" = 'active';--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_grant_id_credit_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."credit_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_grant_idx" ON "ledger_entries" USING btree ("grant_id") WHERE "ledger_entries"."grant_id" is not null;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_kind" CHECK ("ledger_entries"."kind" in ('recharge', 'bonus', 'welcome', 'usage', 'adjustment', 'refund', 'grant', 'expiry'));--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_amount" CHECK ("ledger_entries"."amount" <> 0);--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_overdraft" CHECK ("ledger_entries"."amount" > 0 or "ledger_entries"."balance_after" >= 0 or "ledger_entries"."kind" in ('usage') or "ledger_entries"."grant_id" is not null);--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_non_negative" CHECK ("usage_records"."cost" >= 0 and "usage_records"."input_tokens" >= 0 and "usage_records"."output_tokens" >= 0 and "usage_records"."subscription_used" >= 0 and "usage_records"."regular_used" >= 0);--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_split" CHECK ("usage_records"."subscription_used" + "usage_records"."regular_used" = "usage_records"."cost");