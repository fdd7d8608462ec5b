/** Billing months in BILLING_TIMEZONE: a period resets on the 1st at 00:00 local time. */

function offsetMs(at: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(at);
	const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the given local month (1–12; 13 rolls into next year) begins in `timeZone`. */
export function monthStart(year: number, month: number, timeZone: string): Date {
	const naive = Date.UTC(year, month - 1, 1);
	let at = naive - offsetMs(new Date(naive), timeZone);
	at = naive - offsetMs(new Date(at), timeZone);
	return new Date(at);
}

/** The calendar month (in `timeZone`) holding `at`: [start, end). */
export function monthOf(at: Date, timeZone: string): { start: Date; end: Date } {
	const local = new Date(at.getTime() + offsetMs(at, timeZone));
	const year = local.getUTCFullYear();
	const month = local.getUTCMonth() + 1;
	return { start: monthStart(year, month, timeZone), end: monthStart(year, month + 1, timeZone) };
}

/** `months` calendar months after `at` (same day and time; the 31st becomes the month's last day). */
export function addMonths(at: Date, months: number): Date {
	const d = new Date(at.getTime());
	const day = d.getUTCDate();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() + months);
	const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
	d.setUTCDate(Math.min(day, last));
	return d;
}

/**
 * The allowance period of a subscription at `at`: from the later of its start and the month's
 * start, to the earlier of the next 1st and the end of what was paid; null outside the paid months.
 */
export function periodAt(sub: { startedAt: Date; paidThrough: Date }, at: Date, timeZone: string): { start: Date; end: Date } | null {
	if (at.getTime() < sub.startedAt.getTime() || at.getTime() >= sub.paidThrough.getTime()) return null;
	const month = monthOf(at, timeZone);
	const start = month.start.getTime() > sub.startedAt.getTime() ? month.start : sub.startedAt;
	const end = month.end.getTime() < sub.paidThrough.getTime() ? month.end : sub.paidThrough;
	return { start, end };
}
