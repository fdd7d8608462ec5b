import { describe, expect, it } from 'vitest';
import { codeHash, codePrefix, newCode, normaliseCode } from './code-text';

describe('redemption code text', () => {
	it('makes codes of four groups of four unambiguous characters, all different', () => {
		const codes = Array.from({ length: 500 }, newCode);
		for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it('reads a code however it is typed', () => {
		const code = 'K7QX-3M9A-0Z1B-WW12';
		const typed = ['k7qx 3m9a oz1b ww12', ' K7QX3M9A0ZIBWWl2 ', 'k7qx-3m9a-0z1b-ww12'];
		for (const t of typed) expect(codeHash(normaliseCode(t))).toBe(codeHash(normaliseCode(code)));
		expect(codePrefix(normaliseCode(code))).toBe('K7QX');
	});

	it('hashes so the stored value is not the code', () => {
		const n = normaliseCode(newCode());
		expect(codeHash(n)).toMatch(/^[0-9a-f]{64}$/);
		expect(codeHash(n)).not.toContain(n);
	});
});
