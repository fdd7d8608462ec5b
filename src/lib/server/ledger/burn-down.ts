import type { GrantUnit } from '../db/schema';

/** A grant as the burn-down sees it; `remaining` is lowered as a plan spends it. */
export interface GrantState {
	id: number;
	walletId: number;
	unit: GrantUnit;
	remaining: number;
	priority: number;
	effectiveFrom: Date;
	expiresAt: Date | null;
}

/** One part of a charge: credits taken from a grant, or (grantId null) from the regular balance. */
export interface Part {
	grantId: number | null;
	amount: number;
}

/** A credit grant may be spent from `effective_from` until, not including, `expires_at`. */
export function usableAt(grant: GrantState, at: Date): boolean {
	return (
		grant.unit === 'credits' &&
		grant.remaining > 0 &&
		grant.effectiveFrom.getTime() <= at.getTime() &&
		(grant.expiresAt === null || grant.expiresAt.getTime() > at.getTime())
	);
}

/** Burn-down order: lower priority number first, then the earliest expiry (none = last), then the oldest. */
export function burnDownOrder(a: GrantState, b: GrantState): number {
	if (a.priority !== b.priority) return a.priority - b.priority;
	const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
	const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
	if (ea !== eb) return ea < eb ? -1 : 1;
	return a.id - b.id;
}

/** Credits a wallet can spend now: its balance less what sits in grants that are expired or not yet effective. */
export function spendableBalance(balance: number, grants: GrantState[], at: Date): number {
	let unusable = 0;
	for (const g of grants) if (g.unit === 'credits' && g.remaining > 0 && !usableAt(g, at)) unusable += g.remaining;
	return balance - unusable;
}

/**
 * Splits a cost over the wallet's usable grants in burn-down order, the rest from the regular
 * balance (which alone may go below zero). Lowers the grants' `remaining` as it spends them.
 */
export function planSpend(grants: GrantState[], cost: number, at: Date): Part[] {
	const parts: Part[] = [];
	let left = cost;
	for (const g of grants.filter((g) => usableAt(g, at)).sort(burnDownOrder)) {
		if (left === 0) break;
		const take = Math.min(g.remaining, left);
		g.remaining -= take;
		left -= take;
		parts.push({ grantId: g.id, amount: take });
	}
	if (left > 0) parts.push({ grantId: null, amount: left });
	return parts;
}

/**
 * The ledger entries of one usage event's charge, in the order they are spent. The last part
 * carries the key usage:<request_id> (its balance_after is the wallet's balance after the event);
 * earlier parts are keyed by the grant they take from.
 */
export function usageEntries(requestId: string, walletId: number, parts: Part[]) {
	const reference = `usage:${requestId}`;
	return parts.map((p, i) => ({
		walletId,
		amount: -p.amount,
		kind: 'usage' as const,
		idempotencyKey: i === parts.length - 1 ? reference : `${reference}#grant:${p.grantId}`,
		reference,
		grantId: p.grantId
	}));
}

/** The part of a charge taken from grants (the record's subscription_used); the rest is regular_used. */
export function grantPart(parts: Part[]): number {
	return parts.reduce((sum, p) => sum + (p.grantId === null ? 0 : p.amount), 0);
}
