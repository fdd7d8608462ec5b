import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { firstRechargeBonusLog } from '../db/schema';
import type { RechargeSettings } from './settings';

/** min(rate × amount, cap) in whole credits, rounded down; integer arithmetic only. */
export function tierBonus(amountCredits: number, s: Pick<RechargeSettings, 'bonusRateBp' | 'bonusCapCredits'>): number {
	const byRate = Number((BigInt(amountCredits) * BigInt(s.bonusRateBp)) / 10_000n);
	return Math.min(byRate, s.bonusCapCredits);
}

/** The preset tier an amount equals exactly, or null (¥99 is not ¥100, ¥100.50 is no tier). */
export function matchTier(amountCredits: number, s: Pick<RechargeSettings, 'tiers'>): number | null {
	return s.tiers.includes(amountCredits) ? amountCredits : null;
}

export interface TierState {
	tierCredits: number;
	bonusCredits: number;
	eligible: boolean;
}

/**
 * Per-tier eligibility: a tier is used only by a log row with exactly that tier amount,
 * so a legacy row (e.g. ¥100.50 from an old system) blocks no current tier.
 */
export function tierStates(s: RechargeSettings, usedTierCredits: Iterable<number>): TierState[] {
	const used = new Set(usedTierCredits);
	return s.tiers.map((tier) => ({
		tierCredits: tier,
		bonusCredits: tierBonus(tier, s),
		eligible: s.enabled && !used.has(tier)
	}));
}

export async function usedTiers(db: DbOrTx, userId: number): Promise<number[]> {
	const rows = await db
		.select({ tier: firstRechargeBonusLog.tierAmount })
		.from(firstRechargeBonusLog)
		.where(eq(firstRechargeBonusLog.userId, userId));
	return rows.map((r) => r.tier);
}
