import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { creditGrants, grantUnits } from './ledger';
import { orders } from './recharge';
import { inList } from './in-list';

/** How often a plan renews (one period = one month). */
export const planPeriods = ['monthly'] as const;

/** A monthly plan: what a subscriber gets each period, in any of credits, text tokens and images. */
export const plans = pgTable(
	'plans',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		name: text('name').notNull(),
		/** What one month costs, in credits (10,000 = one unit of `currency`). */
		price: bigint('price', { mode: 'number' }).notNull(),
		currency: text('currency').notNull(),
		period: text('period', { enum: planPeriods }).notNull().default('monthly'),
		allowanceCredits: bigint('allowance_credits', { mode: 'number' }).notNull().default(0),
		allowanceTokens: bigint('allowance_tokens', { mode: 'number' }).notNull().default(0),
		allowanceImages: bigint('allowance_images', { mode: 'number' }).notNull().default(0),
		/** Percent of each unit's allowance that may carry into the next period; null = nothing rolls over. */
		rolloverCapPercent: integer('rollover_cap_percent'),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('plans_price', sql`${t.price} >= 0`),
		check('plans_period', sql`${t.period} in (${inList(planPeriods)})`),
		check(
			'plans_allowance',
			sql`${t.allowanceCredits} >= 0 and ${t.allowanceTokens} >= 0 and ${t.allowanceImages} >= 0 and ${t.allowanceCredits} + ${t.allowanceTokens} + ${t.allowanceImages} > 0`
		),
		check('plans_rollover', sql`${t.rolloverCapPercent} is null or ${t.rolloverCapPercent} between 0 and 1000`)
	]
);

export const subscriptionStatuses = ['active', 'ended'] as const;

/**
 * A user's plan for the months paid ([started_at, paid_through)). `cancelled_at` stops renewal, not the
 * period. At most one active subscription per user and plan (partial unique index).
 */
export const subscriptions = pgTable(
	'subscriptions',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		planId: integer('plan_id')
			.notNull()
			.references(() => plans.id),
		status: text('status', { enum: subscriptionStatuses }).notNull().default('active'),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		paidThrough: timestamp('paid_through', { withTimezone: true }).notNull(),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		orderId: integer('order_id').references(() => orders.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('subscriptions_one_active').on(t.userId, t.planId).where(sql`${t.status} = 'active'`),
		index('subscriptions_user_idx').on(t.userId),
		check('subscriptions_status', sql`${t.status} in (${inList(subscriptionStatuses)})`),
		check('subscriptions_window', sql`${t.paidThrough} > ${t.startedAt}`)
	]
);

/** One row per subscription and period: the unique key is what makes each reset happen exactly once. */
export const subscriptionPeriods = pgTable(
	'subscription_periods',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		subscriptionId: integer('subscription_id')
			.notNull()
			.references(() => subscriptions.id),
		periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
		periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
		/** The grants this period issued, by unit. */
		grants: jsonb('grants').notNull().default({}),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('subscription_periods_once').on(t.subscriptionId, t.periodStart),
		check('subscription_periods_window', sql`${t.periodEnd} > ${t.periodStart}`)
	]
);

/** A one-off package: `amount` plus `bonus` of one unit, for `price` credits, valid `validity_days` (null = no expiry). */
export const packages = pgTable(
	'packages',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		name: text('name').notNull(),
		unit: text('unit', { enum: grantUnits }).notNull(),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		bonus: bigint('bonus', { mode: 'number' }).notNull().default(0),
		price: bigint('price', { mode: 'number' }).notNull(),
		currency: text('currency').notNull(),
		validityDays: integer('validity_days'),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('packages_unit', sql`${t.unit} in (${inList(grantUnits)})`),
		check('packages_amounts', sql`${t.amount} > 0 and ${t.bonus} >= 0 and ${t.bonus} <= 10 * ${t.amount} and ${t.price} >= 0`),
		check('packages_validity', sql`${t.validityDays} is null or ${t.validityDays} > 0`)
	]
);

/**
 * Token and image allowances are not money: a use takes `units` from a grant (its remaining goes
 * down by the same) and `credits` is what those units would have cost, so a usage record's cost =
 * its ledger entries + the credits of its allowance uses.
 */
export const allowanceUses = pgTable(
	'allowance_uses',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		grantId: bigint('grant_id', { mode: 'number' })
			.notNull()
			.references(() => creditGrants.id),
		requestId: text('request_id').notNull(),
		units: bigint('units', { mode: 'number' }).notNull(),
		credits: bigint('credits', { mode: 'number' }).notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('allowance_uses_once').on(t.requestId, t.grantId),
		index('allowance_uses_grant_idx').on(t.grantId),
		check('allowance_uses_amounts', sql`${t.units} > 0 and ${t.credits} >= 0`)
	]
);
