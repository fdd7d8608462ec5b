import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { orders, plans, subscriptions } from '../db/schema';
import { config } from '../config';
import { allowanceBalances } from '../ledger/allowances';
import { userWalletId } from '../ledger/wallets';
import { openOrder } from '../recharge/orders';
import { loadRechargeSettings } from '../recharge/settings';
import { addMonths, periodAt } from './calendar';
import { planById } from './catalog';
import { PlanError } from './errors';
import { ensureCurrentPeriods } from './periods';

type OrderRow = typeof orders.$inferSelect;

/** Subscriptions whose paid months are over are ended before anyone asks about active ones. */
async function endLapsed(db: DbOrTx, userId: number, now: Date) {
	await db
		.update(subscriptions)
		.set({ status: 'ended' })
		.where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active'), lte(subscriptions.paidThrough, now)));
}

/**
 * Creates an order for `months` of a plan, through the same providers and order page as a
 * recharge. The order stores the price it charges; a plan's later price change does not touch it.
 */
export async function subscribe(
	db: Db,
	userId: number,
	input: { planId: number; method: PaymentMethod; months: number; expectedPrice?: number },
	now = new Date()
): Promise<OrderRow> {
	const plan = await planById(db, input.planId);
	if (!plan.active) throw new PlanError('plan_inactive');
	if (input.expectedPrice !== undefined && input.expectedPrice !== plan.price) throw new PlanError('price_changed');
	await endLapsed(db, userId, now);
	const [active] = await db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(and(eq(subscriptions.userId, userId), eq(subscriptions.planId, plan.id), eq(subscriptions.status, 'active')));
	if (active) throw new PlanError('already_subscribed');
	const s = await loadRechargeSettings(db);
	return openOrder(
		db,
		userId,
		{
			walletId: await userWalletId(db, userId),
			amountCredits: plan.price * input.months,
			method: input.method,
			kind: 'plan',
			metadata: { plan_id: plan.id, plan_name: plan.name, months: input.months, unit_price: plan.price },
			orderTtlMinutes: s.orderTtlMinutes
		},
		now
	);
}

/**
 * A paid plan order, inside confirmPayment's transaction: starts the subscription for the months
 * paid (or extends the active one to the same plan, when two orders were paid) and grants its first
 * period at once. What is granted comes from the order and the plan's allowances.
 */
export async function activatePlanOrder(tx: DbOrTx, order: OrderRow, now: Date): Promise<number> {
	const meta = order.metadata as { plan_id: number; months: number };
	await tx.execute(sql`select id from wallets where id = ${order.walletId} for update`);
	await endLapsed(tx, order.userId, now);
	const [existing] = await tx
		.select()
		.from(subscriptions)
		.where(and(eq(subscriptions.userId, order.userId), eq(subscriptions.planId, meta.plan_id), eq(subscriptions.status, 'active')))
		.for('update');
	let id: number;
	if (existing) {
		await tx
			.update(subscriptions)
			.set({ paidThrough: addMonths(existing.paidThrough, meta.months) })
			.where(eq(subscriptions.id, existing.id));
		id = existing.id;
	} else {
		const [row] = await tx
			.insert(subscriptions)
			.values({ userId: order.userId, planId: meta.plan_id, startedAt: now, paidThrough: addMonths(now, meta.months), orderId: order.id })
			.returning({ id: subscriptions.id });
		id = row.id;
	}
	await ensureCurrentPeriods(tx, [order.userId], now);
	return id;
}

/** Cancelling stops renewal; the months paid run to their end. */
export async function cancelSubscription(db: Db, userId: number, now = new Date()) {
	await endLapsed(db, userId, now);
	const rows = await db
		.update(subscriptions)
		.set({ cancelledAt: now })
		.where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active'), sql`${subscriptions.cancelledAt} is null`))
		.returning();
	if (rows.length === 0) throw new PlanError('no_subscription');
	return rows;
}

export interface SubscriptionView {
	id: number;
	planId: number;
	planName: string;
	startedAt: Date;
	paidThrough: Date;
	cancelledAt: Date | null;
	/** The current period: allowances expire at its end; the next one starts then (the 1st, 00:00 local). */
	periodStart: Date | null;
	periodEnd: Date | null;
	/** When the allowances reset next, or null when the paid months end first. */
	resetsAt: Date | null;
	allowances: Array<{ unit: 'credits' | 'tokens' | 'images'; remaining: number; original: number }>;
}

/**
 * The caller's active subscriptions with the current period and what is left of its allowances.
 * A period not granted yet is granted here first (the lazy reset), so the numbers are never stale.
 */
export async function mySubscriptions(db: Db, userId: number, now = new Date()): Promise<SubscriptionView[]> {
	await endLapsed(db, userId, now);
	const rows = await db
		.select({ s: subscriptions, planName: plans.name })
		.from(subscriptions)
		.innerJoin(plans, eq(plans.id, subscriptions.planId))
		.where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active')))
		.orderBy(desc(subscriptions.startedAt));
	if (rows.length === 0) return [];
	const walletId = await userWalletId(db, userId);
	await db.transaction(async (tx) => {
		await tx.execute(sql`select id from wallets where id = ${walletId} for update`);
		await ensureCurrentPeriods(tx, [userId], now);
	});
	const tz = config().BILLING_TIMEZONE;
	const allowances = await allowanceBalances(db, walletId, now, ['plan_allowance']);
	return rows.map(({ s, planName }) => {
		const period = periodAt(s, now, tz);
		return {
			id: s.id,
			planId: s.planId,
			planName,
			startedAt: s.startedAt,
			paidThrough: s.paidThrough,
			cancelledAt: s.cancelledAt,
			periodStart: period?.start ?? null,
			periodEnd: period?.end ?? null,
			resetsAt: period && period.end.getTime() < s.paidThrough.getTime() ? period.end : null,
			allowances: allowances.map((a) => ({ unit: a.unit, remaining: a.remaining, original: a.original }))
		};
	});
}

