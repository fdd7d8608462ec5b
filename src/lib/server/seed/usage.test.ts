import { describe, expect, it } from 'vitest';
import { monthOfUsage } from './usage';

describe('the demo month of usage', () => {
	it('has usage on each of the last 30 UTC days and none after now, whatever the hour the seed runs', () => {
		for (const time of ['00:00:00.500', '00:05:00', '09:30:00', '14:40:00', '20:00:00', '23:59:59']) {
			const now = new Date(`2026-03-01T${time}Z`);
			const events = monthOfUsage(7, 1, 'alice', 3, ['gpt-4o'], now);
			const days = new Set(events.map((e) => e.occurredAt!.toISOString().slice(0, 10)));
			expect(days.size, time).toBe(30);
			expect([...days].sort()[0], time).toBe('2026-01-31');
			expect(events.every((e) => e.occurredAt!.getTime() <= now.getTime()), time).toBe(true);
		}
	});
});
