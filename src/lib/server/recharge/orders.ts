import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, gte, ilike, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { enterprises, orders, users, wallets, type OrderKind } from '../db/schema';
import { config } from '../config';
import { canAdministerEnterprise } from '../enterprises/access';
import { userWalletId } from '../ledger/wallets';
import type { SessionUser } from '../auth/identity';
import { paymentProvider } from './providers/registry';
import { loadRechargeSettings } from './settings';
import { matchTier } from './tiers';
import { conflict, forbidden, invalid, notFound } from '../errors';

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

/** How long an identical pending order is reused instead of making another. */
export const REUSE_PENDING_MS = 10 * 60_000;

export interface NewOrder {
	amountCredits: number;
	method: PaymentMethod;
	enterpriseId?: number;
}

/** ORIGIN when configured; '' otherwise (providers that need absolute URLs fall back to localhost:PORT). */
function publicOrigin(): string {
	return config().ORIGIN?.replace(/\/$/, '') ?? '';
}

/** Creates a pending order for the caller's wallet, or for an enterprise wallet the caller administers, and opens its checkout. */
export async function createOrder(db: Db, user: SessionUser, input: NewOrder, now = new Date()) {
	const s = await loadRechargeSettings(db);
	const tier = matchTier(input.amountCredits, s);
	if (tier === null && (input.amountCredits < s.customMinCredits || input.amountCredits > s.customMaxCredits)) {
		throw invalid('amount_out_of_range');
	}
	const provider = await paymentProvider(db, input.method);
	if (!provider) throw invalid('method_unavailable');

	let walletId: number;
	if (input.enterpriseId !== undefined) {
		const [enterprise] = await db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.id, input.enterpriseId));
		if (!enterprise || !(await canAdministerEnterprise(db, user, input.enterpriseId))) {
			throw forbidden('not_enterprise_admin');
		}
		const [wallet] = await db.select({ id: wallets.id }).from(wallets).where(eq(wallets.enterpriseId, input.enterpriseId));
		if (!wallet) throw notFound('enterprise_not_found');
		walletId = wallet.id;
	} else {
		walletId = await userWalletId(db, user.id);
	}

	return openOrder(db, user.id, {
		walletId,
		amountCredits: input.amountCredits,
		method: input.method,
		// Bonuses are personal: an enterprise top-up never carries a tier.
		tierAmount: input.enterpriseId === undefined ? tier : null,
		metadata: { enterprise_id: input.enterpriseId ?? null },
		orderTtlMinutes: s.orderTtlMinutes,
		reuseRecent: true
	}, now);
}

export interface OpenOrder {
	walletId: number;
	amountCredits: number;
	method: PaymentMethod;
	kind?: OrderKind;
	tierAmount?: number | null;
	metadata: Record<string, unknown>;
	orderTtlMinutes: number;
	/** One click too many must not make a second order: answer an identical recent pending order again. */
	reuseRecent?: boolean;
}

/**
 * Writes a pending order and opens its checkout with the provider. The provider charges
 * `amountCredits` converted once, here (metadata.charge_minor); payment confirmation checks that
 * figure, so an order is always paid at the price it was created with.
 */
export async function openOrder(db: Db, userId: number, input: OpenOrder, now = new Date()) {
	const provider = await paymentProvider(db, input.method);
	if (!provider) throw invalid('method_unavailable');
	const kind = input.kind ?? 'recharge';
	const tierAmount = input.tierAmount ?? null;
	const created = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tally:order:' || ${userId}))`);
		if (input.reuseRecent) {
			const [recent] = await tx
				.select()
				.from(orders)
				.where(
					and(
						eq(orders.userId, userId),
						eq(orders.walletId, input.walletId),
						eq(orders.kind, kind),
						eq(orders.amount, input.amountCredits),
						eq(orders.provider, provider.id),
						// Settings may have made the amount a tier since: that is another order.
						tierAmount === null ? isNull(orders.tierAmount) : eq(orders.tierAmount, tierAmount),
						eq(orders.status, 'pending'),
						gt(orders.createdAt, new Date(now.getTime() - REUSE_PENDING_MS)),
						gt(orders.expiresAt, new Date(now.getTime() + 60_000))
					)
				)
				.orderBy(desc(orders.createdAt))
				.limit(1);
			if (recent) return { order: recent, reused: true };
		}
		const [order] = await tx
			.insert(orders)
			.values({
				publicId: newPublicId(now),
				userId,
				walletId: input.walletId,
				amount: input.amountCredits,
				currency: provider.currency,
				kind,
				tierAmount,
				provider: provider.id,
				expiresAt: new Date(now.getTime() + input.orderTtlMinutes * 60_000),
				metadata: { ...input.metadata, charge_minor: chargeMinorFor(input.amountCredits, provider.currency) }
			})
			.returning();
		return { order, reused: false };
	});
	if (created.reused) return created.order;
	const order = created.order;
	const publicId = order.publicId;
	const chargeMinor = (order.metadata as { charge_minor: number }).charge_minor;
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

/**
 * The owner gives up a pending order: it expires now. A payment that still arrives is credited
 * as a late payment, as for any expired order, so no money is lost.
 */
export async function cancelOrder(db: DbOrTx, user: SessionUser, publicId: string, now = new Date()): Promise<OrderRow> {
	const [order] = await db
		.update(orders)
		.set({ status: 'expired', expiresAt: now })
		.where(and(eq(orders.publicId, publicId), eq(orders.userId, user.id), eq(orders.status, 'pending')))
		.returning();
	if (order) return order;
	const existing = await orderForViewer(db, user, publicId);
	if (existing.userId !== user.id) throw notFound('order_not_found');
	throw conflict('order_not_pending');
}

/** The order if the viewer may see it (its owner or a platform admin); otherwise NOT_FOUND, which reveals nothing. */
export async function orderForViewer(db: DbOrTx, viewer: SessionUser, publicId: string): Promise<OrderRow> {
	const [order] = await db.select().from(orders).where(eq(orders.publicId, publicId));
	if (!order || (order.userId !== viewer.id && viewer.role !== 'admin')) {
		throw notFound('order_not_found');
	}
	return order;
}

export interface OrderQuery {
	search?: string;
	status?: OrderRow['status'];
	all?: boolean;
	limit: number;
	lateOnly?: boolean;
	/** Only the orders paying into this wallet. */
	walletId?: number;
	from?: Date;
	to?: Date;
	userId?: number;
}

export async function listOrders(db: DbOrTx, viewer: SessionUser, q: OrderQuery) {
	const where: SQL[] = [];
	// A wallet named by the caller was checked by it (own wallet, or an enterprise the viewer administers).
	if (!(q.all && viewer.role === 'admin') && q.walletId === undefined) where.push(eq(orders.userId, viewer.id));
	if (q.status) where.push(eq(orders.status, q.status));
	if (q.lateOnly) where.push(eq(orders.lateFlag, true));
	if (q.walletId !== undefined) where.push(eq(orders.walletId, q.walletId));
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
