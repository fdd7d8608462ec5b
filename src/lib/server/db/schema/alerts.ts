import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { wallets } from './ledger';
import { inList } from './in-list';

/**
 * What raised an alert. low_balance, arrears and enterprise_empty are raised by the wallets trigger
 * (drizzle/0012_wallet_alerts.sql); plan_allowance by settlement (settle_usage, drizzle/0018_settle_set_based.sql).
 */
export const alertKinds = ['low_balance', 'arrears', 'enterprise_empty', 'plan_allowance'] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertChannels = ['webhook', 'email'] as const;
export type AlertChannel = (typeof alertChannels)[number];

/** A delivery waits on the job queue, then is delivered or, after its last attempt, failed. */
export const alertDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

/** A user's own delivery settings; their wallet's threshold lives on the wallet (wallets.alert_threshold). */
export const alertSettings = pgTable('alert_settings', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	webhookUrl: text('webhook_url'),
	/** Kept as is: every delivery is signed with it (HMAC-SHA256). Shown to the user once. */
	webhookSecret: text('webhook_secret'),
	emailEnabled: boolean('email_enabled').notNull().default(false),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** One row per crossing, written in the transaction that moved the balance. */
export const alerts = pgTable(
	'alerts',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		kind: text('kind', { enum: alertKinds }).notNull(),
		balance: bigint('balance', { mode: 'number' }).notNull(),
		threshold: bigint('threshold', { mode: 'number' }).notNull(),
		/** plan_allowance: e.g. 80 or 100 (percent used). */
		percent: integer('percent'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set when its deliveries were planned (alerts/dispatch.ts). */
		dispatchedAt: timestamp('dispatched_at', { withTimezone: true })
	},
	(t) => [
		index('alerts_wallet_idx').on(t.walletId, t.id),
		index('alerts_undispatched_idx').on(t.id).where(sql`${t.dispatchedAt} is null`),
		check('alerts_kind', sql`${t.kind} in (${inList(alertKinds)})`)
	]
);

/** The in-app notice: an alert is shown to each recipient until they dismiss it. */
export const alertDismissals = pgTable(
	'alert_dismissals',
	{
		alertId: bigint('alert_id', { mode: 'number' })
			.notNull()
			.references(() => alerts.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		dismissedAt: timestamp('dismissed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.alertId, t.userId] })]
);

/** One per alert, recipient and channel (webhook or email); retried on the job queue. */
export const alertDeliveries = pgTable(
	'alert_deliveries',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		alertId: bigint('alert_id', { mode: 'number' })
			.notNull()
			.references(() => alerts.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		channel: text('channel', { enum: alertChannels }).notNull(),
		/** The webhook URL or email address at the time the alert was dispatched. */
		target: text('target').notNull(),
		status: text('status', { enum: alertDeliveryStatuses }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('alert_deliveries_once').on(t.alertId, t.userId, t.channel),
		index('alert_deliveries_user_idx').on(t.userId, t.id),
		check('alert_deliveries_channel', sql`${t.channel} in (${inList(alertChannels)})`),
		check('alert_deliveries_status', sql`${t.status} in (${inList(alertDeliveryStatuses)})`)
	]
);

/** Every try of a delivery, successful or not. */
export const alertDeliveryAttempts = pgTable(
	'alert_delivery_attempts',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		deliveryId: bigint('delivery_id', { mode: 'number' })
			.notNull()
			.references(() => alertDeliveries.id, { onDelete: 'cascade' }),
		attempt: integer('attempt').notNull(),
		ok: boolean('ok').notNull(),
		/** HTTP status of a webhook answer, or the SMTP reply code. */
		statusCode: integer('status_code'),
		error: text('error'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('alert_delivery_attempts_once').on(t.deliveryId, t.attempt)]
);
