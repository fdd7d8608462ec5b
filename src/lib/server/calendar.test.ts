import { describe, expect, it } from 'vitest';
import { addDays, monthBounds, monthKey, monthStart, utcDay } from './calendar';

describe('UTC days and months', () => {
	it('bound the UTC month, also across a year end', () => {
		const { start, end } = monthBounds(new Date('2026-12-31T23:59:59Z'));
		expect(start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
		expect(end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
		expect(monthStart(monthKey(new Date('2026-12-31T23:59:59Z')))).toEqual(start);
	});

	it('count days in UTC', () => {
		expect(utcDay(new Date('2026-03-01T23:30:00-02:00'))).toBe('2026-03-02');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
	});
});
