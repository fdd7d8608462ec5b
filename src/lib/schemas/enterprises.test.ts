import { describe, expect, it } from 'vitest';
import { parseEmailList } from './enterprises';

describe('parseEmailList', () => {
	it('takes every email from pasted text or a CSV with a header, lower-cased and once', () => {
		const csv = 'email,name\r\nAlice@Example.com,"Alice 王"\r\nbob@example.com;carol@example.com\n\n"alice@example.com"';
		expect(parseEmailList(csv)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
		expect(parseEmailList('  \n ,, ')).toEqual([]);
	});
});
