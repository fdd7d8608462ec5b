import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditsAsDecimal, creditsToUnits, formatMoney, formatMoneyTick, unitsToCredits } from './money';
import { niceTicks } from './components/charts/scale';

const cny = { creditsPerUnit: 10_000, currency: 'CNY' };

describe('money', () => {
	it('formats credits as currency', () => {
		expect(formatMoney(1_000_000, cny)).toBe('¥100.00');
		expect(formatMoney(12_345_000, cny)).toBe('¥1,234.50');
		expect(formatMoney(-2_000_000, cny)).toBe('-¥200.00');
		expect(formatMoney(1, cny)).toBe('¥0.0001');
		expect(formatMoney(600_000, cny, { sign: true })).toBe('+¥60.00');
	});

	it('never formats a fraction of a credit (chart ticks are not whole credits)', () => {
		expect(formatMoney(0.75, cny)).toBe('¥0.0001');
		expect(formatMoney(7_500.5, cny)).toBe('¥0.7501');
		for (const v of [0.25, 0.5, 0.75, 1234.5678]) expect(formatMoney(v, cny)).toMatch(/^¥\d+\.\d{2,4}$/);
	});

	it('formats with a fixed number of decimals, never hiding a non-zero amount as zero', () => {
		expect(formatMoney(1_124_163, cny, { decimals: 2 })).toBe('¥112.42');
		expect(formatMoney(3_200, cny, { decimals: 2 })).toBe('¥0.32');
		expect(formatMoney(-114_560, cny, { decimals: 2 })).toBe('-¥11.46');
		expect(formatMoney(0, cny, { decimals: 2 })).toBe('¥0.00');
		expect(formatMoney(-40, cny, { decimals: 2 })).toBe('-¥0.004');
		expect(formatMoney(5_000_000, cny, { decimals: 0 })).toBe('¥500');
	});

	it('labels every tick of a money axis with the same decimals', () => {
		for (const max of [3, 75, 7_500, 12_345, 999_999, 12_000_000]) {
			const { step, ticks } = niceTicks(max);
			const labels = ticks.map((v) => formatMoneyTick(v, step, cny));
			const decimals = new Set(labels.map((l) => (l.split('.')[1] ?? '').length));
			expect(decimals.size).toBe(1);
			for (const l of labels) expect(l).toMatch(/^¥[\d,]+(\.\d+)?$/);
			expect(new Set(labels).size).toBe(labels.length);
		}
	});

	it('converts currency amounts with at most two decimals exactly', () => {
		expect(unitsToCredits('100', 10_000)).toBe(1_000_000);
		expect(unitsToCredits(99.5, 10_000)).toBe(995_000);
		expect(unitsToCredits('100.50', 10_000)).toBe(1_005_000);
		expect(unitsToCredits('0.01', 10_000)).toBe(100);
		expect(unitsToCredits('1.234', 10_000)).toBeNull();
		expect(unitsToCredits('-5', 10_000)).toBeNull();
		expect(unitsToCredits('abc', 10_000)).toBeNull();
	});

	it('round-trips any amount in cents', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (cents) => {
				const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
				const credits = unitsToCredits(text, 10_000);
				expect(credits).toBe(cents * 100);
				expect(creditsToUnits(credits!, 10_000) * 100).toBeCloseTo(cents, 6);
			})
		);
	});
});

describe('credit amounts as exact decimals', () => {
	it('keep every digit, or trim for an amount input, and round-trip through unitsToCredits', () => {
		expect(creditsAsDecimal(12_345, 10_000)).toBe('1.2345');
		expect(creditsAsDecimal(-5, 10_000)).toBe('-0.0005');
		expect(creditsAsDecimal(-5, 10_000, { trim: true })).toBe('-0.0005');
		expect(creditsAsDecimal(125_000, 10_000, { trim: true })).toBe('12.5');
		expect(creditsAsDecimal(100_000, 10_000, { trim: true })).toBe('10');
		expect(creditsAsDecimal(7, 1)).toBe('7');
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (cents) => {
				const credits = cents * 100;
				expect(unitsToCredits(creditsAsDecimal(credits, 10_000, { trim: true }), 10_000)).toBe(credits);
			})
		);
	});
});
