import { describe, expect, it } from 'vitest';
import { snakeKeys } from './snake-keys';

describe('snakeKeys', () => {
	it('renames camelCase keys to snake_case and keeps the values', () => {
		const at = new Date(0);
		expect(snakeKeys({ id: 1, balanceAfter: -5, createdAt: at, spentThisMonth: 0, memo: null })).toEqual({ id: 1, balance_after: -5, created_at: at, spent_this_month: 0, memo: null });
	});

	it('leaves nested objects as they are', () => {
		expect(snakeKeys({ admins: [{ userId: 1 }] })).toEqual({ admins: [{ userId: 1 }] });
	});
});
