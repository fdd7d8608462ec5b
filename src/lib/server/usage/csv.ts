import type { DbOrTx } from '../db/client';
import { unitsText, type MoneyConfig } from '$lib/money';
import { MAX_PAGE_SIZE, usageLogPage, type UsageLogFilter } from './usage-log';

/** Exports stop here; the answer says the file was cut short. */
export const CSV_ROW_CAP = 50_000;

/** One CSV field (RFC 4180), with text that a spreadsheet would run as a formula defused. */
export function csvField(value: string | number): string {
	if (typeof value === 'number') return String(value);
	const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: Array<string | number>): string {
	return fields.map(csvField).join(',') + '\r\n';
}

export const CSV_HEADER = [
	'occurred_at',
	'request_id',
	'model',
	'input_tokens',
	'output_tokens',
	'cost_credits',
	'cost',
	'paid_by',
	'images',
	'subscription_used',
	'regular_used'
] as const;

export interface UsageCsv {
	csv: string;
	rows: number;
	truncated: boolean;
}

/** The filtered usage log as CSV, newest first, at most `cap` rows. */
export async function usageCsv(
	db: DbOrTx,
	filter: UsageLogFilter,
	money: MoneyConfig,
	cap = CSV_ROW_CAP,
	/** Column names in the reader's language (the same columns as CSV_HEADER). */
	header: readonly string[] = CSV_HEADER,
	personal = 'personal'
): Promise<UsageCsv> {
	const parts: string[] = [csvLine([...header])];
	let rows = 0;
	let after: number | null = null;
	let truncated = false;
	for (;;) {
		const page = await usageLogPage(db, filter, { after, limit: Math.min(MAX_PAGE_SIZE, cap - rows) });
		for (const r of page.rows) {
			parts.push(
				csvLine([
					r.occurredAt.toISOString(),
					r.requestId,
					r.model,
					r.inputTokens,
					r.outputTokens,
					r.cost,
					// A number a spreadsheet can add up, in the display currency.
					Number(unitsText(r.cost, money.creditsPerUnit)),
					r.payerEnterpriseName ?? personal,
					r.images,
					r.subscriptionUsed,
					r.regularUsed
				])
			);
		}
		rows += page.rows.length;
		if (page.nextCursor === null) break;
		if (rows >= cap) {
			truncated = true;
			break;
		}
		after = page.nextCursor;
	}
	return { csv: parts.join(''), rows, truncated };
}
