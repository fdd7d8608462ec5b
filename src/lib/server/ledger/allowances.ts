import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import type { GrantUnit } from '../db/schema';
import { burnDownOrder, type GrantState } from './burn-down';
import { remainingGrantsOf } from './grants';
import { textArray } from '../db/value-list';

/**
 * Token and image allowances (plan periods, packages, admin grants of those units): spent before
 * any credits, in burn-down order, and never money — a use lowers the grant's remaining and is an
 * allowance_uses row; the ledger does not move. The usage record's subscription_used counts the
 * credits the covered part would have cost.
 *
 * Settlement covers and records uses in SQL (settle_usage, drizzle/0018_settle_set_based.sql); these are
 * the same rule in TypeScript: `allowancesOf` (after the wallets are locked), `coverFromAllowances` per event.
 */

export type AllowanceUnit = Exclude<GrantUnit, 'credits'>;

export interface Need {
	inputTokens: number;
	outputTokens: number;
	images: number;
}

export interface Cover {
	uses: Array<{ grantId: number; units: number }>;
	/** What the allowances did not cover. */
	left: Need;
}

export interface AllowanceUse {
	requestId: string;
	grantId: number;
	units: number;
	/** The credits the covered units would have cost (all on the event's first use). */
	credits: number;
}

function usable(grant: GrantState, unit: AllowanceUnit, at: Date): boolean {
	return (
		grant.unit === unit &&
		grant.remaining > 0 &&
		grant.effectiveFrom.getTime() <= at.getTime() &&
		(grant.expiresAt === null || grant.expiresAt.getTime() > at.getTime())
	);
}

/** The token and image grants with something left on these wallets, by wallet; `lock` after the wallets are locked. */
export function allowancesOf(tx: DbOrTx, walletIds: number[], opts: { lock?: boolean } = {}): Promise<Map<number, GrantState[]>> {
	return remainingGrantsOf(tx, walletIds, 'allowances', opts);
}

function take(grants: GrantState[], unit: AllowanceUnit, wanted: number, at: Date, uses: Cover['uses']): number {
	let left = wanted;
	for (const g of grants.filter((g) => usable(g, unit, at)).sort(burnDownOrder)) {
		if (left === 0) break;
		const units = Math.min(g.remaining, left);
		g.remaining -= units;
		left -= units;
		const same = uses.find((u) => u.grantId === g.id);
		if (same) same.units += units;
		else uses.push({ grantId: g.id, units });
	}
	return wanted - left;
}

/**
 * Covers what a request used from the allowances in `grants` (the caller lists them in the order
 * the wallets should be drawn: the user's own first): tokens from token grants, input before
 * output, images from image grants. Lowers the grants' remaining as it takes from them.
 */
export function coverFromAllowances(grants: GrantState[], need: Need, at: Date): Cover {
	const uses: Cover['uses'] = [];
	const input = take(grants, 'tokens', need.inputTokens, at, uses);
	const output = take(grants, 'tokens', need.outputTokens, at, uses);
	const images = take(grants, 'images', need.images, at, uses);
	return { uses, left: { inputTokens: need.inputTokens - input, outputTokens: need.outputTokens - output, images: need.images - images } };
}

export interface AllowanceBalance {
	unit: AllowanceUnit | 'credits';
	remaining: number;
	original: number;
	/** The earliest expiry among the grants counted (null = none expire). */
	expiresAt: Date | null;
}

/** What a wallet has left now in each unit's allowances (credit grants included), for display. */
export async function allowanceBalances(tx: DbOrTx, walletId: number, at: Date, sources?: string[]): Promise<AllowanceBalance[]> {
	const rows = await tx.execute<{ unit: AllowanceBalance['unit']; remaining: string; original: string; expires_at: Date | string | null }>(sql`
		select unit, sum(remaining) as remaining, sum(original) as original, min(expires_at) as expires_at from credit_grants
		where wallet_id = ${walletId} and effective_from <= ${at.toISOString()} and (expires_at is null or expires_at > ${at.toISOString()})
			${sources ? sql`and source = any(${textArray(sources)})` : sql``}
		group by unit order by unit`);
	return rows.map((r) => ({
		unit: r.unit,
		remaining: Number(r.remaining),
		original: Number(r.original),
		expiresAt: r.expires_at === null ? null : new Date(r.expires_at)
	}));
}
