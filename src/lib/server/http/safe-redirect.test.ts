import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './safe-redirect';

// Each value is what the route sees after the query string or form body was decoded once.
const leaves: Array<[string, unknown]> = [
	['protocol-relative', '//evil.example'],
	['backslash after the slash', '/\\evil.example'],
	['backslash encoded once more', '/%5Cevil.example'],
	['backslash encoded twice more', '/%255Cevil.example'],
	['two backslashes', '\\\\evil.example'],
	['backslash then slash', '\\/evil.example'],
	['slash then backslash then slash', '/\\/evil.example'],
	['tab between the slashes', '/\t/evil.example'],
	['tab encoded once more', '/%09/evil.example'],
	['newline between the slashes', '/\n/evil.example'],
	['carriage return and line feed', '/\r\n/evil.example'],
	['NUL', '/\u0000/evil.example'],
	['line separator', '/\u2028/evil.example'],
	['non-breaking space', '/\u00a0/evil.example'],
	['leading space', ' /evil.example'],
	['encoded slash', '/%2F/evil.example'],
	['encoded slash twice', '/%252F%252Fevil.example'],
	['dot segment to two slashes', '/.//evil.example'],
	['dot-dot segment to two slashes', '/..//evil.example'],
	['parent of a segment to two slashes', '/a/..//evil.example'],
	['encoded dot segment', '/%2e//evil.example'],
	['absolute https', 'https://evil.example/'],
	['scheme without slashes', 'http:evil.example'],
	['javascript', 'javascript:alert(1)'],
	['data', 'data:text/html,<script>alert(1)</script>'],
	['relative path', 'evil.example'],
	['encoded leading slashes', '%2F%2Fevil.example'],
	['three slashes', '///evil.example'],
	['malformed escape', '/%E0%A4%A'],
	['empty', ''],
	['null', null],
	['a number', 42],
	['a File-like object', { name: '/dashboard' }],
	['overlong', '/' + 'a'.repeat(5000)]
];

describe('safeRedirectPath', () => {
	it.each(leaves)('refuses %s', (_name, raw) => {
		expect(safeRedirectPath(raw, '/dashboard')).toBe('/dashboard');
	});

	it.each([
		['/dashboard', '/dashboard'],
		['/usage?from=2026-01-01&to=2026-01-31', '/usage?from=2026-01-01&to=2026-01-31'],
		['/usage?q=a%20b', '/usage?q=a%20b'],
		['/recharge/orders/ord_12', '/recharge/orders/ord_12'],
		['/enterprises/3#members', '/enterprises/3#members'],
		['/', '/'],
		['/keys/../usage', '/usage']
	])('keeps the app path %s', (raw, expected) => {
		expect(safeRedirectPath(raw, '/dashboard')).toBe(expected);
	});
});
