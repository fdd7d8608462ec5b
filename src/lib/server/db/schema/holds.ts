import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { apiKeys, users } from './auth';
import { enterprises } from './enterprises';
import { wallets } from './ledger';
import { inList } from './in-list';

export const holdStatuses = ['active', 'captured', 'released', 'expired'] as const;
export type HoldStatus = (typeof holdStatuses)[number];

/**
 * Credit reserved for a request in flight. A hold moves no money: it lowers what the wallet has
 * available until it resolves, exactly once, by capture (the usage with its request_id is settled),
 * release, or expiry.
 */
export const holds = pgTable(
	'holds',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		requestId: text('request_id').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		/** The account (gateway) that placed it; only it may release it. */
		placedBy: integer('placed_by')
			.notNull()
			.references(() => users.id),
		apiKeyId: integer('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		enterpriseId: integer('enterprise_id').references(() => enterprises.id),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		status: text('status', { enum: holdStatuses }).notNull().default('active'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		/** What the settlement that captured it charged (more or less than held). */
		capturedCost: bigint('captured_cost', { mode: 'number' })
	},
	(t) => [
		uniqueIndex('holds_request_id_key').on(t.requestId),
		index('holds_active_wallet_expiry_idx').on(t.walletId, t.expiresAt).where(sql`${t.status} = 'active'`),
		index('holds_active_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'active'`),
		check('holds_status', sql`${t.status} in (${inList(holdStatuses)})`),
		check('holds_amount', sql`${t.amount} > 0`),
		check('holds_resolution', sql`(${t.status} = 'active') = (${t.resolvedAt} is null) and (${t.status} = 'captured') = (${t.capturedCost} is not null) and coalesce(${t.capturedCost}, 0) >= 0`)
	]
);

export const holdEventKinds = ['placed', 'captured', 'released', 'expired'] as const;
export type HoldEventKind = (typeof holdEventKinds)[number];

/** A hold's life: one 'placed' and at most one resolution. */
export const holdEvents = pgTable(
	'hold_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		holdId: bigint('hold_id', { mode: 'number' })
			.notNull()
			.references(() => holds.id),
		event: text('event', { enum: holdEventKinds }).notNull(),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('hold_events_one_each').on(t.holdId, t.event),
		uniqueIndex('hold_events_one_resolution').on(t.holdId).where(sql`${t.event} <> 'placed'`),
		check('hold_events_event', sql`${t.event} in (${inList(holdEventKinds)})`),
		check('hold_events_amount', sql`${t.amount} >= 0`)
	]
);
