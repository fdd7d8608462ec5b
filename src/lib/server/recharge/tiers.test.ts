import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchTier, tierBonus, tierStates } from './tiers';
import type { RechargeSettings } from './settings';

const cpu = 10_000;
const s: RechargeSettings = {
	tiers: [10, 50, 100, 200, 500, 1000].map((u) => u * cpu),
	bonusRateBp: 2000,
	bonusCapCredits: 100 * cpu,
	enabled: true,
	customMinCredits: cpu,
	customMaxCredits: 50_000 * cpu,
	orderTtlMinutes: 30
};

describe('tierBonus', () => {
	it('is 20% capped at ¥100 for the default tiers', () => {
		expect(s.tiers.map((t) => tierBonus(t, s) / cpu)).toEqual([2, 10, 20, 40, 100, 100]);
	});

	it('is an integer never above the cap nor above rate × amount', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 50 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 2 ** 40 }), (amount, bp, cap) => {
				const bonus = tierBonus(amount, { bonusRateBp: bp, bonusCapCredits: cap });
				expect(Number.isSafeInteger(bonus)).toBe(true);
				expect(bonus).toBeLessThanOrEqual(cap);
				expect(BigInt(bonus) * 10_000n).toBeLessThanOrEqual(BigInt(amount) * BigInt(bp));
			})
		);
	});
});

describe('matchTier and tierStates', () => {
	it('matches only an exact preset amount', () => {
		expect(matchTier(100 * cpu, s)).toBe(100 * cpu);
		expect(matchTier(99 * cpu, s)).toBeNull();
		expect(matchTier(1_005_000, s)).toBeNull();
	});

	it('a legacy amount blocks nothing; a used tier blocks only itself; switched off blocks all', () => {
		expect(tierStates(s, [1_005_000]).every((t) => t.eligible)).toBe(true);
		expect(tierStates(s, [100 * cpu]).map((t) => t.eligible)).toEqual([true, true, false, true, true, true]);
		expect(tierStates({ ...s, enabled: false }, []).some((t) => t.eligible)).toBe(false);
	});
});
