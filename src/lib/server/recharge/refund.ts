import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { firstRechargeBonusLog, orders } from '../db/schema';
import { postEntries, type EntryInput } from '../ledger/post';
import { invalid, notFound } from '../errors';
import { reverseRebate } from '../rebates/rebates';

/**
 * Admin refund: the order becomes refunded and reversing entries (kind refund) take back
 * its amount and bonus. post_entries refuses if that would put the wallet below zero
 * (the user already spent the money): then nothing changes and the caller gets
 * insufficient_funds. With restoreEligibility the tier's bonus log row is removed, so
 * the user may earn that tier's bonus again.
 */
export async function refundOrder(db: Db, adminId: number, publicId: string, restoreEligibility: boolean, reason?: string, now = new Date()) {
	const because = reason ? `: ${reason}` : '';
	return db.transaction(async (tx) => {
		const [order] = await tx.select().from(orders).where(eq(orders.publicId, publicId)).for('update');
		if (!order) throw notFound('order_not_found');
		// Plan and package orders bought allowances, not balance; there is nothing to take back here.
		if (order.status !== 'paid' || order.kind !== 'recharge') throw invalid('order_not_refundable');
		// First, so the invitee's and inviter's wallets are locked in id order before any entry.
		await reverseRebate(tx, order, adminId, now);
		const entries: EntryInput[] = [
			{
				walletId: order.walletId,
				amount: -order.amount,
				kind: 'refund',
				idempotencyKey: `order:${order.id}:refund-amount`,
				reference: `order:${order.id}`,
				memo: `Refund of recharge${because}`,
				actorUserId: adminId
			}
		];
		if (order.bonusAmount > 0) {
			entries.push({
				walletId: order.walletId,
				amount: -order.bonusAmount,
				kind: 'refund',
				idempotencyKey: `order:${order.id}:refund-bonus`,
				reference: `order:${order.id}`,
				memo: `Refund of first-recharge bonus${because}`,
				actorUserId: adminId
			});
		}
		await postEntries(tx, entries);
		if (restoreEligibility) await tx.delete(firstRechargeBonusLog).where(eq(firstRechargeBonusLog.orderId, order.id));
		const [updated] = await tx.update(orders).set({ status: 'refunded', refundedAt: now, refundReason: reason ?? null }).where(eq(orders.id, order.id)).returning();
		return updated;
	});
}
