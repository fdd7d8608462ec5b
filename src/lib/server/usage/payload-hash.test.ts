import { describe, expect, it } from 'vitest';
import { payloadHash, type ReportedPayload } from './payload-hash';

const base: ReportedPayload = { userId: 1, apiKeyId: null, model: 'm', inputTokens: 10, outputTokens: 20, cost: null, occurredAt: null, metadata: { a: 1, b: { c: [1, 2], d: 'x' } } };

describe('payloadHash', () => {
	it('reads objects with their keys in any order, at any depth, as the same payload', () => {
		expect(payloadHash({ ...base, metadata: { b: { d: 'x', c: [1, 2] }, a: 1 } })).toBe(payloadHash(base));
		expect(payloadHash({ ...base, occurredAt: new Date('2026-01-01T00:00:00Z') })).toBe(payloadHash({ ...base, occurredAt: new Date('2026-01-01T00:00:00.000+00:00') }));
	});

	it('tells apart every reported field', () => {
		const variants: ReportedPayload[] = [
			{ ...base, userId: 2 },
			{ ...base, userId: null, apiKeyId: 1 },
			{ ...base, model: 'n' },
			{ ...base, inputTokens: 11 },
			{ ...base, outputTokens: 21 },
			{ ...base, cost: 0 },
			{ ...base, occurredAt: new Date(0) },
			{ ...base, metadata: null },
			{ ...base, metadata: {} },
			{ ...base, metadata: { a: 1, b: { c: [2, 1], d: 'x' } } },
			{ ...base, metadata: { a: '1', b: { c: [1, 2], d: 'x' } } }
		];
		const hashes = new Set([base, ...variants].map(payloadHash));
		expect(hashes.size).toBe(variants.length + 1);
	});

	it('gives the hashes stored by earlier versions, so a repeat reported after an upgrade still answers duplicate', () => {
		expect(payloadHash(base)).toBe('8af8c97bbf66b2bc1bdb065d0fbb10a1fe4fccd7e6c18d03b726d12df8f78e53');
		expect(payloadHash({ ...base, images: 3, cost: 5, occurredAt: new Date('2026-01-01T00:00:00Z'), metadata: null })).toBe(
			'37a1ddf317dd01ee36643179b5bdef75dd36459c3da8e6d489e579fe51e5fe50'
		);
	});
});
