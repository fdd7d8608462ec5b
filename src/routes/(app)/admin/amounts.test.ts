import { describe, expect, it } from 'vitest';
import { basisPointsAsPercent, creditsAsUnitText, isFarFrom, percentToBasisPoints, priceUnitsToCredits, signedUnitsToCredits } from './amounts';

describe('admin amounts', () => {
	it('reads prices in ¥ per 1M tokens exactly, down to one credit', () => {
		expect(priceUnitsToCredits('0.75', 10_000)).toBe(7_500);
		expect(priceUnitsToCredits('15', 10_000)).toBe(150_000);
		expect(priceUnitsToCredits('0.0001', 10_000)).toBe(1);
		expect(priceUnitsToCredits('0.00001', 10_000)).toBeNull();
		expect(priceUnitsToCredits('1.1', 100)).toBe(110);
		for (const bad of ['', '-1', '1e3', '0x10', '1,5', ' . ', '1.']) expect(priceUnitsToCredits(bad, 10_000)).toBeNull();
	});

	it('reads signed adjustments with at most two decimals', () => {
		expect(signedUnitsToCredits('12.5', 10_000)).toBe(125_000);
		expect(signedUnitsToCredits('-3', 10_000)).toBe(-30_000);
		expect(signedUnitsToCredits('+0.01', 10_000)).toBe(100);
		expect(signedUnitsToCredits('1.234', 10_000)).toBeNull();
		expect(signedUnitsToCredits('--1', 10_000)).toBeNull();
	});

	it('shows credits back as unit text and round-trips', () => {
		for (const credits of [0, 1, 7_500, 150_000, 123_456_789]) {
			expect(priceUnitsToCredits(creditsAsUnitText(credits, 10_000), 10_000)).toBe(credits);
		}
		expect(creditsAsUnitText(7_500, 10_000)).toBe('0.75');
	});

	it('converts a bonus rate between percent and basis points', () => {
		expect(percentToBasisPoints('20')).toBe(2_000);
		expect(percentToBasisPoints('12.5')).toBe(1_250);
		expect(percentToBasisPoints('0.01')).toBe(1);
		expect(percentToBasisPoints('100')).toBe(10_000);
		for (const bad of ['100.01', '-1', '1.234', '', 'abc']) expect(percentToBasisPoints(bad)).toBeNull();
		for (const bp of [0, 1, 1_250, 2_000, 10_000]) expect(percentToBasisPoints(basisPointsAsPercent(bp))).toBe(bp);
	});

	it('flags a price ten times above or below the one in force', () => {
		expect(isFarFrom(150_000, 15)).toBe(true);
		expect(isFarFrom(15, 150_000)).toBe(true);
		expect(isFarFrom(160_000, 150_000)).toBe(false);
		expect(isFarFrom(150_000, null)).toBe(false);
	});
});
