import { addDays, utcDay } from '$lib/server/calendar';

/** Today, the last 7 and 30 days and this month, as UTC days like the filters. */
export function quickRanges(now = new Date()) {
	const today = utcDay(now);
	return [
		{ key: 'today', from: today, to: today },
		{ key: '7d', from: addDays(today, -6), to: today },
		{ key: '30d', from: addDays(today, -29), to: today },
		{ key: 'month', from: `${today.slice(0, 8)}01`, to: today }
	] as const;
}
