import { describe, expect, it } from 'vitest';
import { pickEncoding } from './compress';

describe('pickEncoding', () => {
	it.each([
		['gzip, deflate, br', 'br'],
		['gzip, deflate', 'gzip'],
		['br;q=0, gzip;q=0.5', 'gzip'],
		['*', 'br'],
		['*, br;q=0', 'gzip'],
		['identity', null],
		['gzip;q=0', null],
		['', null]
	])('%s → %s', (header, expected) => {
		expect(pickEncoding(header)).toBe(expected);
	});
});
