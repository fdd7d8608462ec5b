import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { creditGrants, inviters, rebates, referrals, wallets } from '../db/schema';
import { issueGrant } from '../ledger/grants';
import { postEntry } from '../ledger/post';
import { userWalletId } from '../ledger/wallets';
import { loadRebateSettings } from './settings';
import { idArray } from '../db/value-list';

/** What confirm-payment and refund know of the order. */
export interface RebateOrder {
	id: number;
	publicId: string;
	userId: number;
	walletId: number;
	amount: number;
	provider: string;
}

/** Wallets locked in id order, the order every writer uses, before anything else touches them. */
async function lockWallets(tx: DbOrTx, ids: number[]) {
	const sorted = [...new Set(ids)].sort((a, b) => a - b);
	await tx.execute(sql`select id from wallets where id = any(${idArray(sorted)}) order by id for update`);
}

const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/**
 * The inviter's rebate for a paid order, credited as a grant (source rebate) inside the confirming
 * transaction. Call it before the order's own entries are posted: it locks the invitee's and the
 * inviter's wallets in id order. No rebate for orders paid into an enterprise wallet, external
 * top-ups (paid on another platform), a rate of 0, or an inviter whose rebates are off. The caps
 * (per invitee, per UTC calendar month) count rebates not reversed. Exactly once per order: the
 * order's row lock serialises callbacks, and `rebates_order_key` and the entry's idempotency key
 * hold even without it.
 */
export async function creditRebate(tx: DbOrTx, order: RebateOrder, now = new Date()): Promise<number> {
	if (order.provider === 'external') return 0;
	const [own] = await tx.select({ userId: wallets.userId }).from(wallets).where(eq(wallets.id, order.walletId));
	if (own?.userId !== order.userId) return 0;
	const [link] = await tx
		.select({ inviterId: referrals.inviterId, disabledAt: inviters.rebatesDisabledAt })
		.from(referrals)
		.leftJoin(inviters, eq(inviters.userId, referrals.inviterId))
		.where(eq(referrals.inviteeId, order.userId));
	if (!link || link.disabledAt) return 0;
	const s = await loadRebateSettings(tx);
	if (s.rateBp === 0) return 0;

	const inviterWallet = await userWalletId(tx, link.inviterId);
	await lockWallets(tx, [order.walletId, inviterWallet]);
	const [earlier] = await tx.select({ amount: rebates.amount }).from(rebates).where(eq(rebates.orderId, order.id));
	if (earlier) return earlier.amount;

	let amount = Math.floor((order.amount * s.rateBp) / 10_000);
	const earned = (...conds: Parameters<typeof and>) =>
		tx
			.select({ sum: sql<string>`coalesce(sum(${rebates.amount}), 0)` })
			.from(rebates)
			.where(and(eq(rebates.inviterId, link.inviterId), eq(rebates.status, 'earned'), ...conds));
	if (s.perInviteeCapCredits !== null) {
		const [{ sum }] = await earned(eq(rebates.inviteeId, order.userId));
		amount = Math.min(amount, s.perInviteeCapCredits - Number(sum));
	}
	if (s.monthlyCapCredits !== null) {
		const [{ sum }] = await earned(gte(rebates.createdAt, monthStart(now)));
		amount = Math.min(amount, s.monthlyCapCredits - Number(sum));
	}
	if (amount <= 0) return 0;

	const grant = await issueGrant(tx, {
		walletId: inviterWallet,
		source: 'rebate',
		amount,
		effectiveFrom: now,
		memo: `rebate ${s.rateBp / 100}% of order ${order.publicId}`,
		idempotencyKey: `rebate:order:${order.id}`
	});
	await tx.insert(rebates).values({
		orderId: order.id,
		inviterId: link.inviterId,
		inviteeId: order.userId,
		paidAmount: order.amount,
		rateBp: s.rateBp,
		amount,
		grantId: grant.grantId,
		createdAt: now
	});
	return amount;
}

/**
 * A refund of the order takes its rebate back: a refund entry on the rebate's grant for what is
 * left of it; what the inviter already spent is written off (recorded on the rebate), never taken
 * from their other money. Call it before the refund's own entries are posted (wallet lock order).
 */
export async function reverseRebate(tx: DbOrTx, order: RebateOrder, actorUserId: number, now = new Date()): Promise<{ reclaimed: number; writtenOff: number } | null> {
	const [rebate] = await tx.select().from(rebates).where(eq(rebates.orderId, order.id)).for('update');
	if (!rebate || rebate.status !== 'earned') return null;
	const inviterWallet = await userWalletId(tx, rebate.inviterId);
	await lockWallets(tx, [order.walletId, inviterWallet]);
	const [grant] = await tx.select({ remaining: creditGrants.remaining }).from(creditGrants).where(inArray(creditGrants.id, [rebate.grantId])).for('update');
	const reclaimed = Math.min(grant.remaining, rebate.amount);
	const writtenOff = rebate.amount - reclaimed;
	if (reclaimed > 0) {
		await postEntry(tx, {
			walletId: inviterWallet,
			amount: -reclaimed,
			kind: 'refund',
			idempotencyKey: `rebate:order:${order.id}:reversal`,
			reference: `order:${order.id}`,
			memo: writtenOff > 0 ? `rebate reversed, order ${order.publicId}; ${writtenOff} already spent, written off` : `rebate reversed, order ${order.publicId}`,
			actorUserId,
			grantId: rebate.grantId
		});
	}
	await tx.update(rebates).set({ status: 'reversed', reclaimedAmount: reclaimed, writtenOffAmount: writtenOff, reversedAt: now }).where(eq(rebates.id, rebate.id));
	return { reclaimed, writtenOff };
}
