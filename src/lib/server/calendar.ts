/** UTC calendar days ("2026-11-23") and months ("2026-11"): roll-ups, reports and monthly limits count in UTC. */

const DAY_MS = 24 * 60 * 60 * 1000;

export function utcDay(at: Date): string {
	return at.toISOString().slice(0, 10);
}

/** The calendar day ("2026-11-24") that `at` falls on in an IANA time zone. */
export function dayIn(at: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function addDays(day: string, days: number): string {
	return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The UTC calendar month containing `at`, as [start, end). */
export function monthBounds(at: Date): { start: Date; end: Date } {
	const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
	const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
	return { start, end };
}

/** "2026-11" → its first instant (UTC). */
export function monthStart(month: string): Date {
	const [y, m] = month.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, 1));
}

export function monthKey(at: Date): string {
	return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}
