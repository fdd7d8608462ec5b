import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { choosePayer, type PayerOption } from './payer-chain';

// The example of requirement doc multi-group-credit-deduction: enterprises A, B, C joined in that order, then the user's own wallet.
const A: PayerOption = { walletId: 11, enterpriseId: 1, limitLeft: null };
const B: PayerOption = { walletId: 12, enterpriseId: 2, limitLeft: null };
const C: PayerOption = { walletId: 13, enterpriseId: 3, limitLeft: null };
const OWN: PayerOption = { walletId: 99, enterpriseId: null, limitLeft: null };

function balances(map: Record<number, number>) {
	return (walletId: number) => map[walletId] ?? 0;
}

describe('choosePayer', () => {
	it('follows the requirement doc example: A, then B, then the user into arrears', () => {
		const chain = [A, B, C, OWN];
		expect(choosePayer(chain, 300, balances({ 11: 1000, 12: 500, 13: 200, 99: 100 }))).toBe(A);
		expect(choosePayer(chain, 300, balances({ 11: 250, 12: 500, 13: 200, 99: 100 }))).toBe(B);
		expect(choosePayer(chain, 300, balances({ 11: 250, 12: 250, 13: 200, 99: 100 }))).toBe(OWN);
	});

	it('pays from an enterprise whose balance exactly equals the cost, never splits', () => {
		expect(choosePayer([A, B, OWN], 300, balances({ 11: 300, 12: 1000 }))).toBe(A);
		expect(choosePayer([A, B, OWN], 301, balances({ 11: 300, 12: 300 }))).toBe(OWN);
	});

	it('skips an enterprise whose member limit would be passed', () => {
		const limitedA = { ...A, limitLeft: 299 };
		expect(choosePayer([limitedA, B, OWN], 300, balances({ 11: 1000, 12: 1000 }))).toBe(B);
		expect(choosePayer([{ ...A, limitLeft: 300 }, B, OWN], 300, balances({ 11: 1000, 12: 1000 }))).toEqual({ ...A, limitLeft: 300 });
	});

	it('falls to the own wallet when there is no enterprise, whatever its balance', () => {
		expect(choosePayer([OWN], 5, balances({ 99: -1000 }))).toBe(OWN);
		expect(() => choosePayer([], 5, balances({}))).toThrow();
	});

	it('always picks the first eligible enterprise, or the own wallet when none is', () => {
		const option = fc.record({ balance: fc.integer({ min: -1000, max: 2000 }), limit: fc.option(fc.integer({ min: 0, max: 2000 })) });
		fc.assert(
			fc.property(fc.array(option, { maxLength: 6 }), fc.integer({ min: 0, max: 1500 }), (enterprises, cost) => {
				const chain: PayerOption[] = enterprises.map((g, i) => ({ walletId: i + 1, enterpriseId: i + 1, limitLeft: g.limit }));
				chain.push(OWN);
				const picked = choosePayer(chain, cost, (w) => (w === OWN.walletId ? 0 : enterprises[w - 1].balance));
				const eligible = (i: number) => enterprises[i].balance >= cost && (enterprises[i].limit === null || enterprises[i].limit! >= cost);
				const firstEligible = enterprises.findIndex((_, i) => eligible(i));
				expect(picked).toBe(firstEligible === -1 ? OWN : chain[firstEligible]);
			})
		);
	});
});
