import { z } from 'zod';

/**
 * Strict JSON field types shared by every input schema. A JSON body is validated as JSON: a
 * string is never a number, `null` is never 0, a date is an ISO 8601 string. Text from a URL or
 * a form is turned into these types by `fromText` (src/lib/schemas/text-input.ts), never by
 * coercion inside a schema.
 */

/** Largest value of a PostgreSQL `integer` column: ids beyond it cannot exist. */
export const MAX_ROW_ID = 2_147_483_647;

export const rowId = z.number().int().positive().max(MAX_ROW_ID);

export const pageLimit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

/** An instant as ISO 8601 with a time zone (`2026-11-23T08:00:00Z`), checked but left as text. */
export const isoDateTimeText = z
	.string()
	.max(40)
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'invalid_datetime' });

/** The same, read as a Date. */
export const isoDateTime = isoDateTimeText.transform((s, ctx) => {
		const date = new Date(s);
		if (Number.isNaN(date.getTime())) {
			ctx.addIssue({ code: 'custom', message: 'invalid_datetime' });
			return z.NEVER;
		}
		return date;
	});
