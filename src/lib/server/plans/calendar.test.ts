import { describe, expect, it } from 'vitest';
import { addMonths, monthOf, periodAt } from './calendar';

describe('billing months', () => {
	it('a month in Asia/Shanghai starts at 16:00 UTC on the day before the 1st', () => {
		const m = monthOf(new Date('2026-11-15T12:00:00Z'), 'Asia/Shanghai');
		expect(m.start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
		expect(m.end.toISOString()).toBe('2026-11-30T16:00:00.000Z');
	});

	it('00:00:01 local on the 1st belongs to the new month; 23:59:59 the day before to the old', () => {
		expect(monthOf(new Date('2026-11-30T16:00:01Z'), 'Asia/Shanghai').start.toISOString()).toBe('2026-11-30T16:00:00.000Z');
		expect(monthOf(new Date('2026-11-30T15:59:59Z'), 'Asia/Shanghai').start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
	});

	it('follows daylight saving time where there is one', () => {
		const m = monthOf(new Date('2026-04-10T12:00:00Z'), 'Europe/Berlin');
		expect(m.start.toISOString()).toBe('2026-03-31T22:00:00.000Z');
		expect(monthOf(new Date('2026-03-10T12:00:00Z'), 'Europe/Berlin').start.toISOString()).toBe('2026-02-28T23:00:00.000Z');
		expect(monthOf(new Date('2026-12-10T12:00:00Z'), 'UTC').end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
	});

	it('adds months keeping the day, clamping the 31st', () => {
		expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
		expect(addMonths(new Date('2026-11-15T10:00:00Z'), 3).toISOString()).toBe('2027-02-15T10:00:00.000Z');
	});

	it('a period runs from the start (or the 1st) to the next 1st (or the end of what was paid)', () => {
		const sub = { startedAt: new Date('2026-11-15T10:00:00Z'), paidThrough: new Date('2027-01-15T10:00:00Z') };
		expect(periodAt(sub, new Date('2026-11-20T00:00:00Z'), 'UTC')).toEqual({ start: sub.startedAt, end: new Date('2026-12-01T00:00:00Z') });
		expect(periodAt(sub, new Date('2026-12-20T00:00:00Z'), 'UTC')).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
		expect(periodAt(sub, new Date('2027-01-02T00:00:00Z'), 'UTC')).toEqual({ start: new Date('2027-01-01T00:00:00Z'), end: sub.paidThrough });
		expect(periodAt(sub, new Date('2027-01-15T10:00:00Z'), 'UTC')).toBeNull();
	});
});
