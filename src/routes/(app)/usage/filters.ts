import { addDays, utcDay } from '$lib/server/calendar';

/** The usage filters named in the query string, as the procedures take them (`payer` is "personal" or "g<enterprise id>"). */
export const FILTER_PARAMS = ['from', 'to', 'model', 'key', 'payer'] as const;

export function payerFilter(payer: string | undefined): { personal_only?: boolean; payer_group_id?: number } {
	if (payer === 'personal') return { personal_only: true };
	const match = /^g([1-9]\d{0,9})$/.exec(payer ?? '');
	return match ? { payer_group_id: Number(match[1]) } : {};
}

export function keyFilter(key: string | undefined): { api_key_id?: number } {
	return key && /^[1-9]\d{0,9}$/.test(key) ? { api_key_id: Number(key) } : {};
}

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
