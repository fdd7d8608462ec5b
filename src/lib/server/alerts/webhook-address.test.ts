import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './webhook-address';

describe('isPublicAddress', () => {
	it('refuses loopback, private, link-local, CGNAT, ULA, unspecified and mapped forms of them', () => {
		for (const a of ['127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '::', '::1', 'fd00::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', 'not an address']) {
			expect(isPublicAddress(a), a).toBe(false);
		}
	});

	it('lets the public addresses just outside those ranges through', () => {
		for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '169.253.255.255', '11.0.0.0', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
			expect(isPublicAddress(a), a).toBe(true);
		}
	});
});
