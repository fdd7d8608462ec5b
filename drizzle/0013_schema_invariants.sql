-- The values each text column may hold, stated by the database as well as by TypeScript
-- (db/schema/*.ts builds each list from the same const array with inList, so a new value is one
-- edit and one generated migration). CHECKs rather than PostgreSQL enums: an enum value cannot be
-- dropped, and adding one cannot run inside a transaction with its first use.
-- users.role: 'service' is a machine account that owns gateway keys (no password, never signs in).
-- users.login_type: only external users (POST /api/user/external/sync) have one; null otherwise.
-- orders.status: 'refunded' follows 'paid' only (recharge/refund.ts); an order paid after it
-- expired stays 'paid' with late_flag set. orders.provider is left open: providers are pluggable.
-- Already checked elsewhere: ledger_entries.kind, credit_grants.source/unit, holds.status,
-- hold_events.event, group_invitations.status, wallets.owner_type (wallets_one_owner).
ALTER TABLE "users" ADD CONSTRAINT "users_role" CHECK ("users"."role" in ('user', 'admin', 'service'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_locale" CHECK ("users"."locale" in ('zh-CN', 'en'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_login_type" CHECK ("users"."login_type" is null or "users"."login_type" in ('wechat', 'alipay', 'sms', 'email'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_status" CHECK ("orders"."status" in ('pending', 'paid', 'failed', 'expired', 'refunded'));