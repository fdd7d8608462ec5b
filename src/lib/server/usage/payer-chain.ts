import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { wallets } from '../db/schema';

/** One wallet that may pay a user's usage, in payment order. */
export interface PayerOption {
	walletId: number;
	/** The enterprise paying, or null for the user's own wallet. */
	groupId: number | null;
	/** How much more this member may spend from this group this month; null = no limit. */
	limitLeft: number | null;
}

/**
 * Every wallet that could pay for these users' usage (their groups' wallets and their own),
 * so settlement can lock them, in id order, before choosing.
 */
export async function candidateWallets(tx: DbOrTx, userIds: number[]): Promise<number[]> {
	if (userIds.length === 0) return [];
	const rows = await tx.select({ id: wallets.id }).from(wallets).where(inArray(wallets.userId, userIds));
	return rows.map((r) => r.id);
}

/**
 * Each user's payer options in payment order, the own wallet always last. Call it after the
 * candidate wallets are locked, so spend-limit reads cannot race another settlement.
 */
export async function payerOptions(tx: DbOrTx, userIds: number[], _at: Date): Promise<Map<number, PayerOption[]>> {
	const result = new Map<number, PayerOption[]>();
	if (userIds.length === 0) return result;
	const own = await tx
		.select({ id: wallets.id, userId: wallets.userId })
		.from(wallets)
		.where(inArray(wallets.userId, userIds));
	for (const w of own) result.set(w.userId!, [{ walletId: w.id, groupId: null, limitLeft: null }]);
	return result;
}

/**
 * The first group option whose wallet covers the whole cost and whose member limit allows it;
 * otherwise the user's own wallet (the last option), which may go into arrears. Never splits.
 */
export function choosePayer(options: PayerOption[], cost: number, balanceOf: (walletId: number) => number): PayerOption {
	if (options.length === 0) throw new Error('a user always has at least their own wallet as payer');
	const own = options[options.length - 1];
	for (const option of options) {
		if (option.groupId === null) continue;
		if (option.limitLeft !== null && option.limitLeft < cost) continue;
		if (balanceOf(option.walletId) >= cost) return option;
	}
	return own;
}
