import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { wallets } from './ledger';
import { inList } from './in-list';

export const orderStatuses = ['pending', 'paid', 'failed', 'expired', 'refunded'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** recharge: credits to a wallet; plan: a subscription (metadata.plan_id, months); package: a package's grants (metadata.package_id). */
export const orderKinds = ['recharge', 'plan', 'package'] as const;
export type OrderKind = (typeof orderKinds)[number];

export const orders = pgTable(
	'orders',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		/** Public, unguessable order number shown to users and sent to providers. */
		publicId: text('public_id').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		/** Amount the user pays, in credits (currency units × CREDITS_PER_UNIT). */
		amount: bigint('amount', { mode: 'number' }).notNull(),
		currency: text('currency').notNull(),
		kind: text('kind', { enum: orderKinds }).notNull().default('recharge'),
		/** Set when the amount equals a preset tier at creation; eligibility is still decided at payment. */
		tierAmount: bigint('tier_amount', { mode: 'number' }),
		status: text('status', { enum: orderStatuses }).notNull().default('pending'),
		provider: text('provider').notNull(),
		providerPaymentId: text('provider_payment_id'),
		bonusAmount: bigint('bonus_amount', { mode: 'number' }).notNull().default(0),
		lateFlag: boolean('late_flag').notNull().default(false),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		paidAt: timestamp('paid_at', { withTimezone: true }),
		refundedAt: timestamp('refunded_at', { withTimezone: true }),
		/** Why an admin refunded the order (also the memo of the refund entries). */
		refundReason: text('refund_reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		metadata: jsonb('metadata')
	},
	(t) => [
		uniqueIndex('orders_public_id_key').on(t.publicId),
		uniqueIndex('orders_provider_payment_key').on(t.provider, t.providerPaymentId),
		index('orders_user_idx').on(t.userId, t.createdAt),
		check('orders_kind', sql`${t.kind} in (${inList(orderKinds)})`),
		check('orders_status', sql`${t.status} in (${inList(orderStatuses)})`)
	]
);

/** One row per (user, tier) ever granted; the unique key is what makes each tier's bonus once-only. */
export const firstRechargeBonusLog = pgTable(
	'first_recharge_bonus_log',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		tierAmount: bigint('tier_amount', { mode: 'number' }).notNull(),
		rechargeAmount: bigint('recharge_amount', { mode: 'number' }).notNull(),
		bonusAmount: bigint('bonus_amount', { mode: 'number' }).notNull(),
		/** Basis points: 2000 = 20%. */
		bonusRateBp: integer('bonus_rate_bp').notNull(),
		orderId: integer('order_id').references(() => orders.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('first_recharge_bonus_user_tier_key').on(t.userId, t.tierAmount)]
);

/** Payment callbacks that were refused, for admins to look at. */
export const paymentEvents = pgTable('payment_events', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	provider: text('provider').notNull(),
	orderPublicId: text('order_public_id'),
	outcome: text('outcome').notNull(),
	detail: text('detail'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** Admin-editable settings (recharge tiers, bonus rate, ...) as typed JSON per key. */
export const settings = pgTable('settings', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
