-- The rest of the text columns whose values are a TypeScript list get their CHECK from that list
-- too (db/schema/in-list.ts, as in 0013). Two columns had none of their own:
-- wallets.owner_type: 'user' or 'group' (walletOwnerTypes); wallets_one_owner already ties each to
-- its owner column, so no existing row can break this.
-- rebates.status: 'earned' or 'reversed' (rebateStatuses); rebates_reversal already allowed no other.
-- These CHECKs now come from their lists with the same SQL as before, so they need no statement
-- here: orders_kind, holds_status, hold_events_event, group_invitations_status_check,
-- code_batches_kind, alert_deliveries_status, models_type, plans_period.
-- api_keys.scopes is left open: a key's unknown scopes are ignored (auth/api-keys.ts effectiveScopes).
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_owner_type" CHECK ("wallets"."owner_type" in ('user', 'group'));--> statement-breakpoint
ALTER TABLE "rebates" ADD CONSTRAINT "rebates_status" CHECK ("rebates"."status" in ('earned', 'reversed'));
