import { z } from 'zod';
import { isoDateTime, rowId } from './fields';

/** Largest price (credits per 1M tokens) or amount accepted; far above any real price, far below 2^53. */
export const MAX_CREDITS = 1_000_000_000_000;
export const MAX_TOKENS = 10_000_000;
export const MAX_BATCH_EVENTS = 1000;
export const MAX_IMAGES = 10_000;

const credits = z.number({ message: 'must_be_integer' }).int({ message: 'must_be_integer' }).min(0).max(MAX_CREDITS);
const modelCode = z
	.string()
	.trim()
	.min(1, { message: 'model_required' })
	.max(100)
	.regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, { message: 'invalid_model_code' });

export const modelPriceInput = z.object({
	model: modelCode,
	provider: z.string().trim().min(1, { message: 'provider_required' }).max(60),
	display_name: z.string().trim().max(100).optional(),
	input_price: credits,
	output_price: credits,
	/** Credits per image (image models). */
	image_price: credits.optional(),
	/** The least one request costs, in credits. */
	min_charge: credits.optional(),
	type: z.enum(['text', 'image']).optional(),
	effective_from: isoDateTime.optional()
});
export type ModelPriceInput = z.infer<typeof modelPriceInput>;

export const modelIdInput = z.object({ model_id: rowId });
export const modelActiveInput = modelIdInput.extend({ active: z.boolean() });

const tokens = z.number({ message: 'must_be_integer' }).int({ message: 'must_be_integer' }).min(0).max(MAX_TOKENS, { message: 'tokens_too_large' });

export const requestId = z
	.string()
	.trim()
	.min(1)
	.max(200)
	.refine((id) => ![...id].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), { message: 'invalid_request_id' });

export const usageEventInput = z
	.object({
		request_id: requestId.describe('your id of the request; a repeat is billed once (duplicate)'),
		user_id: rowId.optional().describe('who used it (or api_key_id: the key whose owner did)'),
		api_key_id: rowId.optional().describe('instead of user_id: the key the end user called with'),
		model: modelCode.describe('a model code from GET /v1/models'),
		input_tokens: tokens.default(0).describe('prompt tokens'),
		output_tokens: tokens.optional().describe('completion tokens (or give cost)'),
		images: z.number({ message: 'must_be_integer' }).int({ message: 'must_be_integer' }).min(0).max(MAX_IMAGES, { message: 'images_too_large' }).optional().describe('images generated; image models bill per image'),
		cost: z.number().int({ message: 'must_be_integer' }).min(0).max(MAX_CREDITS).optional().describe('credits, instead of pricing by tokens'),
		occurred_at: isoDateTime.optional().describe('when it happened (default: now)'),
		metadata: z.record(z.string(), z.unknown()).optional().describe('kept with the usage record')
	})
	.refine((e) => (e.user_id === undefined) !== (e.api_key_id === undefined), {
		message: 'user_id_or_api_key_id',
		path: ['user_id']
	})
	.refine((e) => e.output_tokens !== undefined || e.cost !== undefined || e.images !== undefined, {
		message: 'output_tokens_or_cost',
		path: ['output_tokens']
	});
export type UsageEventInput = z.infer<typeof usageEventInput>;

/** One event of a batch: the event, or why it was refused (the batch answers per event). */
export type BatchEvent = { ok: true; event: UsageEventInput } | { ok: false; request_id: string | null; field: string | null; message: string };

const batchEvent = usageEventInput
	.transform((event): BatchEvent => ({ ok: true, event }))
	.catch(({ input, error }): BatchEvent => {
		const id = requestId.safeParse((input as { request_id?: unknown } | null)?.request_id);
		const [issue] = error.issues;
		return { ok: false, request_id: id.success ? id.data : null, field: typeof issue?.path[0] === 'string' ? issue.path[0] : null, message: issue?.message ?? 'invalid_event' };
	});

/** Up to MAX_BATCH_EVENTS events; the envelope must hold, each event is checked on its own. */
export const usageBatchEvents = z.array(batchEvent).min(1).max(MAX_BATCH_EVENTS, { message: 'batch_too_large' });

export const MAX_HOLD_TTL_SECONDS = 86_400;
export const DEFAULT_HOLD_TTL_SECONDS = 600;

export const authorizeInput = z
	.object({
		user_id: rowId.describe('who is about to use the model'),
		model: modelCode.describe('a model code from GET /v1/models'),
		estimated_input_tokens: tokens.optional().describe('prompt tokens expected'),
		max_output_tokens: tokens.optional().describe('the most completion tokens the request may produce'),
		/** Place a hold for the estimate (capture: settle usage with the same request_id). */
		reserve: z.boolean().optional().describe('place a hold for the estimate'),
		request_id: requestId.optional().describe('reserve: the id the usage report will carry'),
		estimated_cost: z.number().int({ message: 'must_be_integer' }).min(0, { message: 'estimate_negative' }).max(MAX_CREDITS).optional(),
		ttl_seconds: z
			.number()
			.int({ message: 'must_be_integer' })
			.min(1, { message: 'ttl_out_of_range' })
			.max(MAX_HOLD_TTL_SECONDS, { message: 'ttl_out_of_range' })
			.optional()
	})
	.refine((a) => a.reserve !== true || a.request_id !== undefined, { message: 'request_id_required', path: ['request_id'] });

export const holdRequestInput = z.object({ request_id: requestId });

export const adjustInput = z
	.object({
		user_id: rowId.optional(),
		enterprise_id: rowId.optional(),
		amount: z
			.number()
			.int({ message: 'must_be_integer' })
			.min(-MAX_CREDITS)
			.max(MAX_CREDITS)
			.refine((n) => n !== 0, { message: 'amount_zero' }),
		reason: z.string().trim().min(1, { message: 'reason_required' }).max(500),
		idempotency_key: z.string().trim().min(1).max(200)
	})
	.refine((a) => (a.user_id === undefined) !== (a.enterprise_id === undefined), {
		message: 'user_id_or_enterprise_id',
		path: ['user_id']
	});
export type AdjustInput = z.infer<typeof adjustInput>;
