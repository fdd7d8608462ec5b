import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { idArray } from '../db/value-list';
import { memberships, wallets } from '../db/schema';
import { paymentOrder } from '../enterprises/membership';
import { enterpriseSpendThisMonth, limitLeft, spendOf } from '../enterprises/limits';

/** One wallet that may pay a user's usage, in payment order. */
export interface PayerOption {
	walletId: number;
	/** The enterprise paying, or null for the user's own wallet. */
	enterpriseId: number | null;
	/** How much more this member may spend from this enterprise this month; null = no limit. */
	limitLeft: number | null;
}

/** Active memberships whose enterprise may pay (the member has not suspended it), in payment order. */
async function payingMemberships(tx: DbOrTx, userIds: number[]) {
	return tx
		.select({
			userId: memberships.userId,
			enterpriseId: memberships.enterpriseId,
			monthlyLimit: memberships.monthlyLimit,
			walletId: wallets.id
		})
		.from(memberships)
		.innerJoin(wallets, eq(wallets.enterpriseId, memberships.enterpriseId))
		.where(and(sql`${memberships.userId} = any(${idArray(userIds)})`, eq(memberships.isActive, true), eq(memberships.suspended, false)))
		.orderBy(memberships.userId, ...paymentOrder)
		.prepare('paying_memberships')
		.execute();
}

/**
 * Each user's payer options in payment order, the own wallet always last. Call it after the
 * candidate wallets are locked, so spend-limit reads cannot race another settlement.
 */
export async function payerOptions(tx: DbOrTx, userIds: number[], at: Date): Promise<Map<number, PayerOption[]>> {
	const result = new Map<number, PayerOption[]>();
	if (userIds.length === 0) return result;
	const ownWallets = tx.select({ id: wallets.id, userId: wallets.userId }).from(wallets).where(sql`${wallets.userId} = any(${idArray(userIds)})`).prepare('own_wallets').execute();
	const [chain, own] = await Promise.all([payingMemberships(tx, userIds), ownWallets]);
	const limitedUsers = [...new Set(chain.filter((m) => m.monthlyLimit !== null).map((m) => m.userId))];
	const spend = await enterpriseSpendThisMonth(tx, limitedUsers, at);
	for (const m of chain) {
		const options = result.get(m.userId) ?? [];
		options.push({
			walletId: m.walletId,
			enterpriseId: m.enterpriseId,
			limitLeft: limitLeft(m.monthlyLimit, spendOf(spend, m.userId, m.enterpriseId))
		});
		result.set(m.userId, options);
	}
	for (const w of own) {
		const options = result.get(w.userId!) ?? [];
		options.push({ walletId: w.id, enterpriseId: null, limitLeft: null });
		result.set(w.userId!, options);
	}
	return result;
}

/**
 * The first enterprise option whose wallet covers the whole cost and whose member limit allows it;
 * otherwise the user's own wallet (the last option), which may go into arrears. Never splits.
 */
export function choosePayer(options: PayerOption[], cost: number, balanceOf: (walletId: number) => number): PayerOption {
	if (options.length === 0) throw new Error('a user always has at least their own wallet as payer');
	const own = options[options.length - 1];
	for (const option of options) {
		if (option.enterpriseId === null) continue;
		if (option.limitLeft !== null && option.limitLeft < cost) continue;
		if (balanceOf(option.walletId) >= cost) return option;
	}
	return own;
}
