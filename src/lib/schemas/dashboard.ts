import { z } from 'zod';
import { pageLimit, rowId } from './fields';
import { fromText } from './text-input';

export const isoDay = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'invalid_date' })
	.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
		message: 'invalid_date'
	});

const positiveId = rowId;

export const userIdInput = z.object({ user_id: positiveId.optional() });

/** The day counts the dashboard's charts offer, and the one they show unless another is picked. */
export const OVERVIEW_DAYS = [7, 30, 90] as const;
export type OverviewDays = (typeof OVERVIEW_DAYS)[number];
export const DEFAULT_OVERVIEW_DAYS: OverviewDays = 30;

export const overviewInput = z.object({
	user_id: positiveId.optional(),
	days: z.literal(OVERVIEW_DAYS, { message: 'invalid_range' }).default(DEFAULT_OVERVIEW_DAYS)
});

const filterFields = {
	user_id: positiveId.optional(),
	from: isoDay.optional(),
	to: isoDay.optional(),
	model: z.string().trim().min(1).max(100).optional(),
	/** Only usage the user's own wallet paid. */
	personal_only: z.boolean().optional(),
	/** Only usage this enterprise paid. */
	payer_enterprise_id: positiveId.optional(),
	/** Only usage reported with this API key of the user's. */
	api_key_id: positiveId.optional()
};

const rangeInOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;

export const usageFilterInput = z.object(filterFields).refine(rangeInOrder, { message: 'date_range_reversed', path: ['to'] });

/** The CSV export: the filters, plus the column names and the word for one's own wallet in the reader's language. */
export const usageCsvInput = z
	.object({
		...filterFields,
		header: z.array(z.string().max(40)).length(11).optional(),
		personal_label: z.string().max(40).optional()
	})
	.refine(rangeInOrder, { message: 'date_range_reversed', path: ['to'] });

export const usageRecordsInput = z
	.object({
		...filterFields,
		after: positiveId.optional(),
		limit: pageLimit(200, 50)
	})
	.refine(rangeInOrder, { message: 'date_range_reversed', path: ['to'] });

export const walletHistoryInput = z.object({
	user_id: positiveId.optional(),
	enterprise_id: positiveId.optional(),
	before: positiveId.optional(),
	limit: pageLimit(200, 50)
});

export const platformInput = z.object({ days: z.number().int().min(1).max(366).default(30) });

export const findUsersInput = z.object({ q: z.string().trim().max(100).default('') });

/** The named query-string parameters as the JSON types `schema` expects (`fromText`), empty ones dropped (an empty filter field means "any"). */
export function queryParams(url: URL, schema: z.ZodType, names: readonly string[]): Record<string, unknown> {
	return fromText(schema, textParams(url, names));
}

/** The named query-string parameters as text, empty ones dropped. */
export function textParams(url: URL, names: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of names) {
		const value = url.searchParams.get(name)?.trim();
		if (value) out[name] = value;
	}
	return out;
}
