import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysBetween, niceCeiling, OTHER, shortNumber, stackByDay, ticks, niceTicks } from './scale';

describe('niceCeiling', () => {
	it('picks round tops', () => {
		expect([0, -3, 1, 7, 10, 11, 21, 26, 380, 999_999].map(niceCeiling)).toEqual([1, 1, 1, 10, 10, 20, 25, 50, 500, 1_000_000]);
	});

	it('is never below the maximum and never more than 2.5 times it', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 1e15 }), (max) => {
				const top = niceCeiling(max);
				expect(top).toBeGreaterThanOrEqual(max);
				expect(top).toBeLessThanOrEqual(max * 2.5);
			})
		);
	});
});

describe('ticks and labels', () => {
	it('spans 0 to top evenly', () => {
		expect(ticks(100, 4)).toEqual([0, 25, 50, 75, 100]);
	});
	it('shortens big numbers', () => {
		expect([0, 950, 1_234, 25_000, 3_400_000, 250_000_000].map(shortNumber)).toEqual(['0', '950', '1.2k', '25k', '3.4M', '250M']);
	});
});

describe('stackByDay', () => {
	const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
	it('keeps empty days, stacks models largest-first, and each bar sums its rows', () => {
		const rows = [
			{ day: '2026-01-01', model: 'a', cost: 5 },
			{ day: '2026-01-01', model: 'b', cost: 20 },
			{ day: '2026-01-03', model: 'a', cost: 1 }
		];
		const s = stackByDay(rows, days, (r) => r.cost);
		expect(s.keys).toEqual(['b', 'a']);
		expect(s.bars.map((b) => b.total)).toEqual([25, 0, 1]);
		expect(s.bars[0].segments).toEqual([
			{ key: 'b', value: 20, from: 0, to: 20 },
			{ key: 'a', value: 5, from: 20, to: 25 }
		]);
		expect(s.max).toBe(25);
	});

	it('folds models beyond the limit into "other" without losing any value', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ day: fc.constantFrom(...days), model: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'), v: fc.nat(1000) })),
				(rows) => {
					const s = stackByDay(rows, days, (r) => r.v, 4);
					expect(s.keys.length).toBeLessThanOrEqual(4);
					for (const bar of s.bars) {
						const expected = rows.filter((r) => r.day === bar.day).reduce((a, r) => a + r.v, 0);
						expect(bar.total).toBe(expected);
						expect(bar.segments.at(-1)?.to ?? 0).toBe(expected);
					}
					if (new Set(rows.filter((r) => r.v > 0).map((r) => r.model)).size > 4) expect(s.keys).toContain(OTHER);
				}
			)
		);
	});
});

describe('daysBetween', () => {
	it('lists inclusive UTC days across a month end', () => {
		expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
		expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
	});
});

describe('niceTicks', () => {
	it('covers the maximum with whole steps of 1, 2 or 5 × 10^k, at most 4 intervals', () => {
		for (const max of [0, 1, 3, 7, 75, 99, 100, 101, 7_500, 12_345, 999_999]) {
			const { top, step, ticks } = niceTicks(max);
			expect(Number.isInteger(step)).toBe(true);
			expect(/^[125]0*$/.test(String(step))).toBe(true);
			expect(top).toBeGreaterThanOrEqual(max);
			expect(ticks.length - 1).toBeLessThanOrEqual(4);
			expect(ticks.at(-1)).toBe(top);
		}
	});
});
