import { describe, expect, it } from 'vitest';
import { planSpend, spendableBalance, usableAt, usageEntries, type GrantState } from './burn-down';

const T = new Date('2026-11-30T16:00:00Z');
const grant = (id: number, remaining: number, over: Partial<GrantState> = {}): GrantState => ({
	id,
	walletId: 1,
	unit: 'credits',
	remaining,
	priority: 10,
	effectiveFrom: new Date('2026-01-01T00:00:00Z'),
	expiresAt: null,
	...over
});

describe('burn-down', () => {
	it('a grant is usable from effective_from up to, not including, expires_at', () => {
		const g = grant(1, 5, { effectiveFrom: new Date(T.getTime() - 1000), expiresAt: T });
		expect(usableAt(g, new Date(T.getTime() - 1000))).toBe(true);
		expect(usableAt(g, new Date(T.getTime() - 1))).toBe(true);
		expect(usableAt(g, T)).toBe(false);
		expect(usableAt(g, new Date(T.getTime() - 1001))).toBe(false);
		expect(usableAt(grant(2, 5, { unit: 'tokens' }), T)).toBe(false);
	});

	it('spends by priority, earliest expiry (none last), oldest, then the regular balance', () => {
		const grants = [
			grant(1, 10),
			grant(2, 10, { expiresAt: new Date(T.getTime() + 9_000) }),
			grant(3, 10, { expiresAt: new Date(T.getTime() + 5_000) }),
			grant(4, 10, { priority: 1 }),
			grant(5, 10, { expiresAt: T })
		];
		expect(planSpend(grants, 45, T)).toEqual([
			{ grantId: 4, amount: 10 },
			{ grantId: 3, amount: 10 },
			{ grantId: 2, amount: 10 },
			{ grantId: 1, amount: 10 },
			{ grantId: null, amount: 5 }
		]);
		expect(grants.map((g) => g.remaining)).toEqual([0, 0, 0, 0, 10]);
		expect(spendableBalance(100, grants, T)).toBe(90);
	});

	it('keys the last part usage:<request_id> and the earlier ones by grant', () => {
		expect(usageEntries('r1', 7, [{ grantId: 3, amount: 4 }, { grantId: null, amount: 6 }]).map((e) => [e.idempotencyKey, e.amount, e.grantId])).toEqual([
			['usage:r1#grant:3', -4, 3],
			['usage:r1', -6, null]
		]);
	});
});
