import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixedTokensFor, runwayDays, tokensFor } from './capacity';
import { tokenCost } from './price';

const balance = fc.integer({ min: 0, max: 10_000_000_000 });
const price = fc.integer({ min: 1, max: 100_000_000 });

describe('what a balance buys', () => {
	it('input or output tokens: the most the balance pays for, one more costs more', () => {
		fc.assert(
			fc.property(balance, price, (available, p) => {
				const n = tokensFor(available, p)!;
				expect(tokenCost(n, 0, { inputPrice: p, outputPrice: 0 })).toBeLessThanOrEqual(available);
				// The count saturates at the largest safe integer (a huge balance at a tiny price); no count lies beyond it.
				if (n < Number.MAX_SAFE_INTEGER) expect(tokenCost(n + 1, 0, { inputPrice: p, outputPrice: 0 })).toBeGreaterThan(available);
			})
		);
	});

	it('a balance that buys more tokens than a safe integer says the largest safe integer', () => {
		expect(tokensFor(9_007_199_255, 1)).toBe(Number.MAX_SAFE_INTEGER);
		expect(tokenCost(Number.MAX_SAFE_INTEGER, 0, { inputPrice: 1, outputPrice: 0 })).toBeLessThanOrEqual(9_007_199_255);
	});

	it('a free side is unlimited (null), not a division by zero', () => {
		expect(tokensFor(1_000, 0)).toBeNull();
		expect(mixedTokensFor(1_000, 0, 0, { input: 3, output: 1 })).toBeNull();
	});

	it('tokens at a mix: that many tokens split at the mix cost no more than the balance', () => {
		fc.assert(
			fc.property(balance, price, price, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), (available, inP, outP, i, o) => {
				const total = mixedTokensFor(available, inP, outP, { input: i, output: o })!;
				// Whole bundles of (i + o) tokens priced exactly: ceil of the blended cost stays within the balance.
				const bundles = Math.floor(total / (i + o));
				expect(tokenCost(bundles * i, bundles * o, { inputPrice: inP, outputPrice: outP })).toBeLessThanOrEqual(available);
			})
		);
		expect(mixedTokensFor(50_000, 2_000, 8_000, { input: 3, output: 1 })).toBe(Math.floor((50_000 * 1_000_000) / 3_500));
	});

	it('runway: whole days at the average daily spend; none without spending', () => {
		expect(runwayDays(22_000, 28_000, 7)).toBe(5);
		expect(runwayDays(0, 28_000, 7)).toBe(0);
		expect(runwayDays(1_000, 0, 7)).toBeNull();
	});
});
