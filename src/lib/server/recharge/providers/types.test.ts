import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimalToMinor, minorToDecimal } from './types';

describe('decimalToMinor', () => {
	it('converts exact decimals and refuses anything else', () => {
		expect(decimalToMinor('10.00')).toBe(1000);
		expect(decimalToMinor(99.5)).toBe(9950);
		expect(decimalToMinor('0.01')).toBe(1);
		for (const bad of ['10.001', '-1', '1e3', '', 'abc', null, undefined, {}]) expect(decimalToMinor(bad)).toBeNull();
	});

	it('round-trips with minorToDecimal', () => {
		fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (minor) => {
				expect(decimalToMinor(minorToDecimal(minor))).toBe(minor);
			})
		);
	});
});
