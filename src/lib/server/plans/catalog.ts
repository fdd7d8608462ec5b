import { asc, desc, eq, sql } from 'drizzle-orm';
import type { PackageInput, PlanInput } from '$lib/schemas/plans';
import type { DbOrTx } from '../db/client';
import { orders, packages, plans, subscriptions, users } from '../db/schema';
import { config } from '../config';
import { PlanError } from './errors';

export type PlanRow = typeof plans.$inferSelect;
export type PackageRow = typeof packages.$inferSelect;

export async function listPlans(db: DbOrTx, opts: { includeInactive?: boolean } = {}): Promise<PlanRow[]> {
	const query = db.select().from(plans);
	return (opts.includeInactive ? query : query.where(eq(plans.active, true))).orderBy(asc(plans.price), asc(plans.id));
}

export async function planById(db: DbOrTx, id: number): Promise<PlanRow> {
	const [plan] = await db.select().from(plans).where(eq(plans.id, id));
	if (!plan) throw new PlanError('plan_not_found');
	return plan;
}

function planValues(input: PlanInput) {
	return {
		name: input.name,
		price: input.price,
		currency: input.currency ?? config().CURRENCY,
		allowanceCredits: input.allowance_credits,
		allowanceTokens: input.allowance_tokens,
		allowanceImages: input.allowance_images,
		rolloverCapPercent: input.rollover_cap_percent ?? null,
		active: input.active
	};
}

export async function createPlan(db: DbOrTx, input: PlanInput): Promise<PlanRow> {
	const [plan] = await db.insert(plans).values(planValues(input)).returning();
	return plan;
}

/** A price change applies to orders created from now on; an order keeps the price it was created with. */
export async function updatePlan(db: DbOrTx, id: number, input: PlanInput): Promise<PlanRow> {
	const [plan] = await db
		.update(plans)
		.set({ ...planValues(input), updatedAt: new Date() })
		.where(eq(plans.id, id))
		.returning();
	if (!plan) throw new PlanError('plan_not_found');
	return plan;
}

export async function listPackages(db: DbOrTx, opts: { includeInactive?: boolean } = {}): Promise<PackageRow[]> {
	const query = db.select().from(packages);
	return (opts.includeInactive ? query : query.where(eq(packages.active, true))).orderBy(asc(packages.unit), asc(packages.price), asc(packages.id));
}

export async function createPackage(db: DbOrTx, input: PackageInput): Promise<PackageRow> {
	const [row] = await db
		.insert(packages)
		.values({
			name: input.name,
			unit: input.unit,
			amount: input.amount,
			bonus: input.bonus,
			price: input.price,
			currency: input.currency ?? config().CURRENCY,
			validityDays: input.validity_days ?? null,
			active: input.active
		})
		.returning();
	return row;
}

/** Every subscription, newest first, with the subscriber and the plan (admin console). */
export async function listSubscribers(db: DbOrTx, limit = 200) {
	return db
		.select({ subscription: subscriptions, email: users.email, plan: plans.name })
		.from(subscriptions)
		.innerJoin(users, eq(users.id, subscriptions.userId))
		.innerJoin(plans, eq(plans.id, subscriptions.planId))
		.orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
		.limit(limit);
}

/** Paid plan and package orders, newest first (admin console). */
export async function listSales(db: DbOrTx, limit = 200) {
	return db
		.select({ order: orders, email: users.email })
		.from(orders)
		.innerJoin(users, eq(users.id, orders.userId))
		.where(sql`${orders.kind} <> 'recharge' and ${orders.status} in ('paid', 'refunded')`)
		.orderBy(desc(orders.paidAt), desc(orders.id))
		.limit(limit);
}
