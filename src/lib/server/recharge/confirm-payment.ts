import { desc, eq } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { firstRechargeBonusLog, orders, paymentEvents } from '../db/schema';
import { postEntry } from '../ledger/post';
import { fulfilPackageOrder } from '../plans/packages';
import { activatePlanOrder } from '../plans/subscriptions';
import { creditRebate } from '../rebates/rebates';
import type { PaymentNotice } from './providers/types';
import { loadRechargeSettings } from './settings';
import { tierBonus } from './tiers';

export type ConfirmOutcome =
	| { result: 'credited'; orderId: number; amount: number; bonus: number; late: boolean }
	| { result: 'replay'; orderId: number }
	| { result: 'failed'; orderId: number }
	| { result: 'refused'; reason: 'unknown_order' | 'provider_mismatch' | 'amount_mismatch' | 'currency_mismatch' | 'other_payment' };

export async function recordPaymentEvent(db: DbOrTx, provider: string, orderPublicId: string | null, outcome: string, detail?: string) {
	await db.insert(paymentEvents).values({ provider, orderPublicId, outcome, detail: detail?.slice(0, 500) ?? null });
}

/** The latest refused payment callbacks, newest first (admin console). */
export async function recentPaymentEvents(db: DbOrTx, limit: number) {
	return db.select().from(paymentEvents).orderBy(desc(paymentEvents.id)).limit(limit);
}

/**
 * Applies a verified provider notification in ONE transaction: locks the order, checks
 * amount and currency, marks it paid, credits the amount and, if the tier is still
 * eligible now, the bonus. The (user, tier) unique key decides races between orders;
 * the order row lock makes replays of the same callback no-ops.
 */
export async function confirmPayment(db: Db, provider: PaymentMethod | 'external', notice: PaymentNotice, now = new Date()): Promise<ConfirmOutcome> {
	return db.transaction(async (tx) => {
		const [order] = await tx.select().from(orders).where(eq(orders.publicId, notice.order_public_id)).for('update');
		const refuse = async (reason: Extract<ConfirmOutcome, { result: 'refused' }>['reason'], detail: string) => {
			await recordPaymentEvent(tx, provider, notice.order_public_id, reason, detail);
			return { result: 'refused', reason } as const;
		};
		if (!order) return refuse('unknown_order', `payment ${notice.payment_id}`);
		if (order.provider !== provider) return refuse('provider_mismatch', `order uses ${order.provider}`);

		if (order.status === 'paid' || order.status === 'refunded') {
			if (order.providerPaymentId === notice.payment_id) return { result: 'replay', orderId: order.id };
			return refuse('other_payment', `order already paid by ${order.providerPaymentId}, got ${notice.payment_id}`);
		}
		if (notice.status === 'failed') {
			if (order.status === 'pending') await tx.update(orders).set({ status: 'failed' }).where(eq(orders.id, order.id));
			return { result: 'failed', orderId: order.id };
		}
		const expectedMinor = (order.metadata as { charge_minor?: number } | null)?.charge_minor;
		if (notice.currency !== order.currency) {
			return refuse('currency_mismatch', `expected ${order.currency}, got ${notice.currency}`);
		}
		if (notice.amount_minor !== expectedMinor) {
			return refuse('amount_mismatch', `expected ${expectedMinor} minor units, got ${notice.amount_minor}`);
		}

		const late = order.status === 'expired' || order.expiresAt.getTime() < now.getTime();
		if (order.kind !== 'recharge') {
			// Plans and packages: the order buys allowances, not balance (plans/subscriptions.ts, plans/packages.ts);
			// invitation rebates are earned on recharges only (a plan order is not refundable, so nothing to reverse).
			const bonus = order.kind === 'plan' ? (await activatePlanOrder(tx, order, now), 0) : await fulfilPackageOrder(tx, order, now);
			await tx
				.update(orders)
				.set({ status: 'paid', providerPaymentId: notice.payment_id, paidAt: now, lateFlag: late, bonusAmount: bonus })
				.where(eq(orders.id, order.id));
			return { result: 'credited', orderId: order.id, amount: order.amount, bonus, late };
		}
		// First, so the invitee's and inviter's wallets are locked in id order before any entry.
		await creditRebate(tx, order, now);
		await postEntry(tx, {
			walletId: order.walletId,
			amount: order.amount,
			kind: 'recharge',
			idempotencyKey: `order:${order.id}:amount`,
			reference: `order:${order.id}`,
			memo: `${provider} ${notice.payment_id}`,
			actorUserId: order.userId
		});

		let bonus = 0;
		const s = await loadRechargeSettings(tx);
		if (order.tierAmount !== null && s.enabled && s.tiers.includes(order.tierAmount)) {
			const candidate = tierBonus(order.tierAmount, s);
			if (candidate > 0) {
				const [log] = await tx
					.insert(firstRechargeBonusLog)
					.values({
						userId: order.userId,
						tierAmount: order.tierAmount,
						rechargeAmount: order.amount,
						bonusAmount: candidate,
						bonusRateBp: s.bonusRateBp,
						orderId: order.id
					})
					.onConflictDoNothing({ target: [firstRechargeBonusLog.userId, firstRechargeBonusLog.tierAmount] })
					.returning({ id: firstRechargeBonusLog.id });
				if (log) {
					await postEntry(tx, {
						walletId: order.walletId,
						amount: candidate,
						kind: 'bonus',
						idempotencyKey: `order:${order.id}:bonus`,
						reference: `order:${order.id}`,
						memo: `first-recharge bonus log ${log.id}`,
						actorUserId: order.userId
					});
					bonus = candidate;
				}
			}
		}

		await tx
			.update(orders)
			.set({ status: 'paid', providerPaymentId: notice.payment_id, paidAt: now, lateFlag: late, bonusAmount: bonus })
			.where(eq(orders.id, order.id));
		return { result: 'credited', orderId: order.id, amount: order.amount, bonus, late };
	});
}
