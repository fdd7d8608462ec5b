import { z } from 'zod';
import { usageBatchEvents, usageEventInput, type BatchEvent, type UsageEventInput } from '$lib/schemas/metering';
import { isoDateTimeText } from '$lib/schemas/fields';
import { NOT_OWN_USAGE } from '../../../usage/own-usage';
import { REJECT_REASONS } from '../../../usage/price-events';

/**
 * One event, or `{events: [...]}`; a single-object schema because OpenAPI bodies must be objects.
 * Parses to `{event}` (the single event read with the event schema) or `{events}`, so the mutation
 * reads the event as parsed here.
 */
export const reportInput = z
	.object({
		// The single event's fields as sent (what the API docs show); the transform reads them with the event schema.
		...z.object({ ...usageEventInput.shape, occurred_at: isoDateTimeText.optional() }).partial().shape,
		events: usageBatchEvents.optional()
	})
	.transform((value, ctx): { events: BatchEvent[]; event?: undefined } | { event: UsageEventInput; events?: undefined } => {
		if (value.events !== undefined) return { events: value.events };
		const single = usageEventInput.safeParse(value);
		if (single.success) return { event: single.data };
		for (const issue of single.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
		return z.NEVER;
	});

const settledFields = {
	cost: z.number().int(),
	payer_wallet_id: z.number().int(),
	enterprise_id: z.number().int().nullable(),
	balance_after: z.number().int().nullable()
};

const resultSchema = z.object({
	request_id: z.string().nullable().describe('null for an event refused without a valid request_id'),
	status: z.enum(['settled', 'duplicate', 'rejected']),
	reason: z.enum([...REJECT_REASONS, 'invalid_event', NOT_OWN_USAGE]).optional(),
	field: z.string().nullable().optional().describe('invalid_event: the first field the event failed on'),
	message: z.string().optional().describe('invalid_event: what is wrong with that field'),
	original: z
		.object({ request_id: z.string(), status: z.literal('settled'), ...settledFields })
		.optional()
		.describe('request_id_conflict: the answer the first report of this request_id got (it was reported with another payload)'),
	...z.object(settledFields).partial().shape
});
export type ReportResult = z.infer<typeof resultSchema>;

export const reportOutput = z.object({ results: z.array(resultSchema), settled: z.number().int(), duplicates: z.number().int(), rejected: z.number().int() });
