import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseEmailList } from '$lib/schemas/groups';
import { creditsAsUnitsText } from '$lib/components/groups/units';
import { unitsToCredits } from '$lib/money';
import { creditsAsUnits } from './reports';
import { limitLeft, monthBounds } from './limits';

describe('parseEmailList', () => {
	it('takes every email from pasted text or a CSV with a header, lower-cased and once', () => {
		const csv = 'email,name\r\nAlice@Example.com,"Alice 王"\r\nbob@example.com;carol@example.com\n\n"alice@example.com"';
		expect(parseEmailList(csv)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
		expect(parseEmailList('  \n ,, ')).toEqual([]);
	});
});

describe('credit amounts as currency units', () => {
	it('are exact and round-trip through unitsToCredits', () => {
		expect(creditsAsUnits(12_345, 10_000)).toBe('1.2345');
		expect(creditsAsUnits(-5, 10_000)).toBe('-0.0005');
		expect(creditsAsUnitsText(125_000, 10_000)).toBe('12.5');
		expect(creditsAsUnitsText(100_000, 10_000)).toBe('10');
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (cents) => {
				const credits = cents * 100;
				expect(unitsToCredits(creditsAsUnitsText(credits, 10_000), 10_000)).toBe(credits);
			})
		);
	});
});

describe('limits and months', () => {
	it('leaves nothing negative and bounds the UTC month', () => {
		expect(limitLeft(null, 500)).toBeNull();
		expect(limitLeft(500, 200)).toBe(300);
		expect(limitLeft(500, 900)).toBe(0);
		const { start, end } = monthBounds(new Date('2026-12-31T23:59:59Z'));
		expect(start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
		expect(end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
	});
});
