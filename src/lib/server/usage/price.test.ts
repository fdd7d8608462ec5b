import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventCost, InvalidPriceInputError, MAX_TOKENS_PER_EVENT, priceInForce, tokenCost } from './price';

const tokens = fc.integer({ min: 0, max: MAX_TOKENS_PER_EVENT });
const price = fc.integer({ min: 0, max: 2_000_000_000 });

/** Reference: exact rational ceiling using BigInt, independent of the implementation's formula shape. */
function referenceCeil(i: number, o: number, ip: number, op: number): bigint {
	const n = BigInt(i) * BigInt(ip) + BigInt(o) * BigInt(op);
	const q = n / 1_000_000n;
	return q * 1_000_000n === n ? q : q + 1n;
}

describe('tokenCost', () => {
	it('rounds up to a whole credit', () => {
		expect(tokenCost(1, 0, { inputPrice: 1, outputPrice: 0 })).toBe(1);
		expect(tokenCost(1_000_000, 0, { inputPrice: 25_000, outputPrice: 0 })).toBe(25_000);
		expect(tokenCost(1_000_001, 0, { inputPrice: 1, outputPrice: 0 })).toBe(2);
		expect(tokenCost(0, 0, { inputPrice: 25_000, outputPrice: 100_000 })).toBe(0);
		// 1,234 in at 25,000 + 567 out at 100,000 = 30,850,000 + 56,700,000 = 87,550,000 → 87.55 → 88
		expect(tokenCost(1234, 567, { inputPrice: 25_000, outputPrice: 100_000 })).toBe(88);
	});

	it('is exact where a float product would lose precision', () => {
		// 9,999,999 × 1,999,999,999 > 2^53
		const i = 9_999_999;
		const p = 1_999_999_999;
		expect(BigInt(tokenCost(i, i, { inputPrice: p, outputPrice: p }))).toBe(referenceCeil(i, i, p, p));
	});

	it('property: integer, never negative, equals the exact ceiling, and is monotone in tokens', () => {
		fc.assert(
			fc.property(tokens, tokens, price, price, (i, o, ip, op) => {
				const cost = tokenCost(i, o, { inputPrice: ip, outputPrice: op });
				expect(Number.isSafeInteger(cost)).toBe(true);
				expect(cost).toBeGreaterThanOrEqual(0);
				expect(BigInt(cost)).toBe(referenceCeil(i, o, ip, op));
				expect(tokenCost(i + 1, o, { inputPrice: ip, outputPrice: op })).toBeGreaterThanOrEqual(cost);
				// never more than one credit above the exact value
				expect(BigInt(cost) * 1_000_000n - (BigInt(i) * BigInt(ip) + BigInt(o) * BigInt(op))).toBeLessThan(1_000_000n);
			}),
			{ numRuns: 2000 }
		);
	});

	it('refuses negative, fractional and unsafe inputs', () => {
		expect(() => tokenCost(-1, 0, { inputPrice: 1, outputPrice: 1 })).toThrow(InvalidPriceInputError);
		expect(() => tokenCost(1.5, 0, { inputPrice: 1, outputPrice: 1 })).toThrow(InvalidPriceInputError);
		expect(() => tokenCost(1, 0, { inputPrice: 0.1, outputPrice: 1 })).toThrow(InvalidPriceInputError);
		expect(() => tokenCost(Number.NaN, 0, { inputPrice: 1, outputPrice: 1 })).toThrow(InvalidPriceInputError);
		fc.assert(
			fc.property(fc.double({ noInteger: true }), (bad) => {
				expect(() => tokenCost(bad, 0, { inputPrice: 1, outputPrice: 1 })).toThrow(InvalidPriceInputError);
			})
		);
	});
});

describe('eventCost', () => {
	it('uses an explicit cost as given, even for an unpriced model', () => {
		expect(eventCost({ inputTokens: 999, outputTokens: 999, explicitCost: 4200 }, null)).toBe(4200);
		expect(eventCost({ inputTokens: 0, outputTokens: 0, explicitCost: 0 }, { inputPrice: 5, outputPrice: 5 })).toBe(0);
		expect(() => eventCost({ inputTokens: 0, outputTokens: 0, explicitCost: -1 }, null)).toThrow(InvalidPriceInputError);
	});

	it('is null (never zero) for tokens without a price', () => {
		expect(eventCost({ inputTokens: 10, outputTokens: 10 }, null)).toBeNull();
	});
});

describe('priceInForce', () => {
	const rows = [
		{ id: 1, inputPrice: 10, outputPrice: 20, effectiveFrom: new Date('2026-01-01T00:00:00Z') },
		{ id: 3, inputPrice: 30, outputPrice: 40, effectiveFrom: new Date('2026-03-01T00:00:00Z') },
		{ id: 2, inputPrice: 15, outputPrice: 25, effectiveFrom: new Date('2026-02-01T00:00:00Z') }
	];

	it('picks the latest row not after the moment', () => {
		expect(priceInForce(rows, new Date('2025-12-31T23:59:59Z'))).toBeNull();
		expect(priceInForce(rows, new Date('2026-01-01T00:00:00Z'))?.id).toBe(1);
		expect(priceInForce(rows, new Date('2026-02-15T00:00:00Z'))?.id).toBe(2);
		expect(priceInForce(rows, new Date('2026-02-28T23:59:59.999Z'))?.id).toBe(2);
		expect(priceInForce(rows, new Date('2026-03-01T00:00:00Z'))?.id).toBe(3);
	});

	it('property: the chosen row is never in the future and no later eligible row exists', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { maxLength: 8 }), fc.integer({ min: 0, max: 1e6 }), (starts, at) => {
				const list = starts.map((s, i) => ({ id: i, inputPrice: 1, outputPrice: 1, effectiveFrom: new Date(s) }));
				const chosen = priceInForce(list, new Date(at));
				const eligible = list.filter((r) => r.effectiveFrom.getTime() <= at);
				if (eligible.length === 0) expect(chosen).toBeNull();
				else expect(chosen!.effectiveFrom.getTime()).toBe(Math.max(...eligible.map((r) => r.effectiveFrom.getTime())));
			})
		);
	});
});
