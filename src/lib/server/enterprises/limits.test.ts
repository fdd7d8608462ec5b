import { describe, expect, it } from 'vitest';
import { limitLeft } from './limits';

describe('monthly limits', () => {
	it('leave nothing negative, and no limit leaves no figure', () => {
		expect(limitLeft(null, 500)).toBeNull();
		expect(limitLeft(500, 200)).toBe(300);
		expect(limitLeft(500, 900)).toBe(0);
	});
});
