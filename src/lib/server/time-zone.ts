import type { Cookies } from '@sveltejs/kit';
import { config } from './config';

/** Set by the root layout from the browser's Intl time zone. */
export const TIME_ZONE_COOKIE = 'tally_tz';

export function isTimeZone(tz: string): boolean {
	if (tz.length === 0 || tz.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** The zone a person's days are counted in: the browser's reported zone if valid, else BILLING_TIMEZONE. */
export function viewerTimeZone(cookies: Pick<Cookies, 'get'> | null): string {
	const reported = cookies?.get(TIME_ZONE_COOKIE);
	return reported && isTimeZone(reported) ? reported : config().BILLING_TIMEZONE;
}
