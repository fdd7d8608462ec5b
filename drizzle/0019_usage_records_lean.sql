-- usage_records, cheaper per row (settlement writes one per event): no foreign keys on user_id,
-- wallet_id and group_id (settle_usage takes them from the wallet rows it locked; users, wallets
-- and groups are never deleted; ledger/verify.ts checks them instead), and no (group_id,
-- occurred_at) index: no query reads usage records by group (enterprise reports read by wallet).
ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_wallet_id_wallets_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_group_id_groups_id_fk";
--> statement-breakpoint
DROP INDEX "usage_records_group_time_idx";