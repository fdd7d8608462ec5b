import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { groups, orders, users, wallets } from '../db/schema';
import { config } from '../config';
import { canAdministerGroup } from '../groups/access';
import { userWalletId } from '../ledger/wallets';
import type { SessionUser } from '../trpc/context';
import { paymentProvider } from './providers/registry';
import { loadRechargeSettings } from './settings';
import { matchTier } from './tiers';

export type OrderRow = typeof orders.$inferSelect;

/** What the provider charges for an order, in minor units; USD converts at USD_RATE_CREDITS (rounded up). */
export function chargeMinorFor(amountCredits: number, currency: string): number {
	const cfg = config();
	const perUnit = currency === cfg.CURRENCY ? cfg.CREDITS_PER_UNIT : currency === 'USD' ? cfg.USD_RATE_CREDITS : null;
	if (perUnit === null) throw new Error(`no conversion rate for ${currency}`);
	const numerator = BigInt(amountCredits) * 100n;
	const divisor = BigInt(perUnit);
	return Number((numerator + divisor - 1n) / divisor);
}

/** An order number: a letter for where it came from (R recharge, X external top-up), the UTC day, 16 random hex digits. */
export function newPublicId(now: Date, prefix: 'R' | 'X' = 'R'): string {
	const day = now.toISOString().slice(0, 10).replaceAll('-', '');
	return `${prefix}${day}${randomBytes(8).toString('hex').toUpperCase()}`;
}

export interface NewOrder {
	amountCredits: number;
	method: PaymentMethod;
	groupId?: number;
}

/** ORIGIN when configured; '' otherwise (providers that need absolute URLs fall back to localhost:PORT). */
function publicOrigin(): string {
	return config().ORIGIN?.replace(/\/$/, '') ?? '';
}

/** Creates a pending order for the caller's wallet, or for a group wallet the caller administers, and opens its checkout. */
export async function createOrder(db: Db, user: SessionUser, input: NewOrder, now = new Date()) {
	const s = await loadRechargeSettings(db);
	const tier = matchTier(input.amountCredits, s);
	if (tier === null && (input.amountCredits < s.customMinCredits || input.amountCredits > s.customMaxCredits)) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_out_of_range' });
	}
	const provider = await paymentProvider(db, input.method);
	if (!provider) throw new TRPCError({ code: 'BAD_REQUEST', message: 'method_unavailable' });

	let walletId: number;
	if (input.groupId !== undefined) {
		const [group] = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, input.groupId));
		if (!group || !(await canAdministerGroup(db, user, input.groupId))) {
			throw new TRPCError({ code: 'FORBIDDEN', message: 'not_group_admin' });
		}
		const [wallet] = await db.select({ id: wallets.id }).from(wallets).where(eq(wallets.groupId, input.groupId));
		if (!wallet) throw new TRPCError({ code: 'NOT_FOUND', message: 'group_not_found' });
		walletId = wallet.id;
	} else {
		walletId = await userWalletId(db, user.id);
	}

	const publicId = newPublicId(now);
	const chargeMinor = chargeMinorFor(input.amountCredits, provider.currency);
	const [order] = await db
		.insert(orders)
		.values({
			publicId,
			userId: user.id,
			walletId,
			amount: input.amountCredits,
			currency: provider.currency,
			// Bonuses are personal: an enterprise top-up never carries a tier.
			tierAmount: input.groupId === undefined ? tier : null,
			provider: provider.id,
			expiresAt: new Date(now.getTime() + s.orderTtlMinutes * 60_000),
			metadata: { charge_minor: chargeMinor, group_id: input.groupId ?? null }
		})
		.returning();
	const origin = publicOrigin();
	const absolute = origin || `http://localhost:${config().PORT}`;
	const checkout = await provider.createCheckout({
		publicId,
		origin,
		chargeMinor,
		currency: provider.currency,
		description: `Tally ${publicId}`,
		returnUrl: `${absolute}/recharge/orders/${publicId}`,
		notifyUrl: `${absolute}/api/v1/payments/${provider.id}/${provider.id === 'stripe' ? 'webhook' : 'notify'}`
	});
	const [withUrl] = await db
		.update(orders)
		.set({ metadata: { ...(order.metadata as object), checkout_url: checkout.checkout_url } })
		.where(eq(orders.id, order.id))
		.returning();
	return withUrl;
}

/** Pending orders past their time become expired (a late payment is still credited and flagged). */
export async function expireStaleOrders(db: DbOrTx, now = new Date()): Promise<number> {
	const rows = await db
		.update(orders)
		.set({ status: 'expired' })
		.where(and(eq(orders.status, 'pending'), lt(orders.expiresAt, now)))
		.returning({ id: orders.id });
	return rows.length;
}

/** The order if the viewer may see it (its owner or a platform admin); otherwise NOT_FOUND, which reveals nothing. */
export async function orderForViewer(db: DbOrTx, viewer: SessionUser, publicId: string): Promise<OrderRow> {
	const [order] = await db.select().from(orders).where(eq(orders.publicId, publicId));
	if (!order || (order.userId !== viewer.id && viewer.role !== 'admin')) {
		throw new TRPCError({ code: 'NOT_FOUND', message: 'order_not_found' });
	}
	return order;
}

export interface OrderQuery {
	search?: string;
	status?: OrderRow['status'];
	all?: boolean;
	limit: number;
	lateOnly?: boolean;
	from?: Date;
	to?: Date;
	userId?: number;
}

export async function listOrders(db: DbOrTx, viewer: SessionUser, q: OrderQuery) {
	const where: SQL[] = [];
	if (!(q.all && viewer.role === 'admin')) where.push(eq(orders.userId, viewer.id));
	if (q.status) where.push(eq(orders.status, q.status));
	if (q.lateOnly) where.push(eq(orders.lateFlag, true));
	if (q.from) where.push(gte(orders.createdAt, q.from));
	if (q.to) where.push(lt(orders.createdAt, q.to));
	if (q.userId !== undefined && q.all && viewer.role === 'admin') where.push(eq(orders.userId, q.userId));
	if (q.search) {
		const like = `%${q.search.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
		where.push(or(ilike(orders.publicId, like), ilike(users.email, like), ilike(sql`coalesce(${orders.providerPaymentId}, '')`, like))!);
	}
	return db
		.select({ order: orders, email: users.email })
		.from(orders)
		.innerJoin(users, eq(users.id, orders.userId))
		.where(and(...where))
		.orderBy(desc(orders.createdAt), desc(orders.id))
		.limit(q.limit);
}
