import { usageRecordsInput } from '$lib/schemas/dashboard';
import { fromText } from '$lib/schemas/text-input';
import type { RouterOutputs } from '$lib/trpc-client';

/** The usage filters named in the query string, as the procedures take them (`payer` is "personal" or "g<enterprise id>"). */
export const FILTER_PARAMS = ['from', 'to', 'model', 'key', 'payer'] as const;

export function payerFilter(payer: string | undefined): { personal_only?: boolean; payer_enterprise_id?: number } {
	if (payer === 'personal') return { personal_only: true };
	const match = /^g([1-9]\d{0,9})$/.exec(payer ?? '');
	return match ? { payer_enterprise_id: Number(match[1]) } : {};
}

export function keyFilter(key: string | undefined): { api_key_id?: number } {
	return key && /^[1-9]\d{0,9}$/.test(key) ? { api_key_id: Number(key) } : {};
}

/** The `dashboard.records` input from the filters' text (the load and the page's in-place filtering read it alike). */
export function recordsQuery(params: Record<string, string>, userId: number | undefined) {
	return usageRecordsInput.safeParse({
		...fromText(usageRecordsInput, { ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}), ...(params.model ? { model: params.model } : {}), ...(params.after ? { after: params.after } : {}) }),
		...payerFilter(params.payer),
		...keyFilter(params.key),
		user_id: userId,
		limit: 50
	});
}

/** A page of the log the browser client fetched for the filters, kept in the history entry's state (shallow routing). */
export interface FetchedLog {
	params: Record<string, string>;
	fieldErrors: Record<string, string[] | undefined>;
	records: RouterOutputs['dashboard']['records']['records'];
	nextCursor: number | null;
	totals: RouterOutputs['dashboard']['records']['totals'] | null;
	filtered: boolean;
}
