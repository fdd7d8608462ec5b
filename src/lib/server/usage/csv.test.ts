import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, csvLine } from './csv';
import { parseCsv } from '../../../../tests/helpers/csv';

/** One line as the exports write it, read back. */
const readLine = (line: string): string[] => parseCsv(line)[0] ?? [''];

describe('csv', () => {
	it('quotes only what needs quoting and doubles quotes', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField(-42)).toBe('-42');
	});

	it('defuses text a spreadsheet would run as a formula', () => {
		expect(['=1+1', '+1', '-1', '@SUM(A1)'].map(csvField)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)"]);
	});

	it('round-trips any text that does not start like a formula', () => {
		fc.assert(
			fc.property(fc.array(fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s)), { minLength: 1, maxLength: 6 }), (fields) => {
				const line = csvLine(fields);
				expect(line.endsWith('\r\n')).toBe(true);
				expect(readLine(line.slice(0, -2))).toEqual(fields);
			})
		);
	});
});
