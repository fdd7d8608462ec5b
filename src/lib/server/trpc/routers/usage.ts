import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { authorizeInput, DEFAULT_HOLD_TTL_SECONDS, usageBatchEvents, usageEventInput, type BatchEvent } from '$lib/schemas/metering';
import { ownUsageOnly } from '../../auth/api-keys';
import { authorizeUsage, ReserveError, reserveCredit } from '../../usage/authorize';
import { NOT_OWN_USAGE, othersUsage, withRefusals } from '../../usage/own-usage';
import { holdProcedures } from './holds';
import { listModels } from '../../usage/models';
import { modelOutput, modelToOutput } from '../../usage/model-shapes';
import { REJECT_REASONS } from '../../usage/price-events';
import { RequestIdConflictError, settleUsage, settleUsageEvent, type SettleResult, type UsageEvent } from '../../usage/settle';
import { isoDateTimeText } from '$lib/schemas/fields';
import { usageSummary, userBalance } from '../../usage/summary';
import { allowanceSummary, allowanceSummaryOutput } from '../../plans/allowance-summary';
import { router, scopedProcedure } from '../init';

const RESERVE_ERROR_STATUS = {
	unknown_user: 'NOT_FOUND',
	model_not_priced: 'NOT_FOUND',
	estimate_required: 'BAD_REQUEST',
	request_id_conflict: 'CONFLICT'
} as const;

/** One event, or `{events: [...]}`; a single-object schema because OpenAPI bodies must be objects. */
const reportInput = z
	.object({
		// The single event's fields as sent; the refinement below and the mutation read them with the event schema.
		...z.object({ ...usageEventInput.shape, occurred_at: isoDateTimeText.optional() }).partial().shape,
		events: usageBatchEvents.optional()
	})
	.superRefine((value, ctx) => {
		if (value.events !== undefined) return;
		const single = usageEventInput.safeParse(value);
		if (!single.success) for (const issue of single.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
	});

const settledFields = {
	cost: z.number().int(),
	payer_wallet_id: z.number().int(),
	group_id: z.number().int().nullable(),
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
type ReportResult = z.infer<typeof resultSchema>;

const totals = z.object({ requests: z.number(), input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number(), cost: z.number() });


const OWN_USAGE_RULE =
	"A `usage:write` key of an admin or service account may bill any user. A `usage:write:own` key (or a plain user's `usage:write` key) only its owner: an event for someone else is 403 `not_own_usage`, or in a batch `rejected` with that reason, and nothing is written for it.";

function toEvent(e: z.infer<typeof usageEventInput>): UsageEvent {
	return {
		requestId: e.request_id,
		userId: e.user_id,
		apiKeyId: e.api_key_id,
		model: e.model,
		inputTokens: e.input_tokens,
		outputTokens: e.output_tokens,
		images: e.images,
		cost: e.cost,
		occurredAt: e.occurred_at === undefined ? undefined : new Date(e.occurred_at),
		metadata: e.metadata ?? null
	};
}

/** `ownerOnly`: the caller may bill only this user (a key limited to its owner's usage), else null. */
async function reportOne(db: Parameters<typeof settleUsage>[0], event: UsageEvent, ownerOnly: number | null): Promise<SettleResult> {
	if (ownerOnly !== null && (await othersUsage(db, ownerOnly, [event])).size > 0) throw new TRPCError({ code: 'FORBIDDEN', message: NOT_OWN_USAGE });
	try {
		const result = await settleUsageEvent(db, event);
		if (result.status === 'rejected') throw new TRPCError({ code: 'BAD_REQUEST', message: result.reason! });
		return result;
	} catch (err) {
		if (err instanceof RequestIdConflictError) throw new TRPCError({ code: 'CONFLICT', message: err.code, cause: err });
		throw err;
	}
}

/** Settles the events that passed the schema (and bill `ownerOnly`, when set); the others answer invalid_event or not_own_usage in their place. */
async function reportBatch(db: Parameters<typeof settleUsage>[0], events: BatchEvent[], ownerOnly: number | null): Promise<ReportResult[]> {
	const valid = events.flatMap((e) => (e.ok ? [toEvent(e.event)] : []));
	const refused = ownerOnly === null ? new Set<number>() : await othersUsage(db, ownerOnly, valid);
	const settled = withRefusals(valid, refused, await settleUsage(db, valid.filter((_, i) => !refused.has(i))));
	let next = 0;
	return events.map((e) =>
		e.ok ? (settled[next++] as ReportResult) : { request_id: e.request_id, status: 'rejected', reason: 'invalid_event', field: e.field, message: e.message }
	);
}

export const usageRouter = router({
	report: scopedProcedure('usage:write', 'admin')
		.meta({ openapi: { method: 'POST', path: '/usage', tags: ['usage'], summary: 'Report finished usage: one event or {events:[…]} (up to 1,000); answers per event', description: OWN_USAGE_RULE } })
		.input(reportInput)
		.output(z.object({ results: z.array(resultSchema), settled: z.number().int(), duplicates: z.number().int(), rejected: z.number().int() }))
		.mutation(async ({ ctx, input }) => {
			const ownerOnly = ownUsageOnly(ctx.user, ctx.apiKey) ? ctx.user.id : null;
			const results =
				input.events === undefined ? [await reportOne(ctx.db, toEvent(usageEventInput.parse(input)), ownerOnly)] : await reportBatch(ctx.db, input.events, ownerOnly);
			const count = (s: string) => results.filter((r) => r.status === s).length;
			return { results, settled: count('settled'), duplicates: count('duplicate'), rejected: count('rejected') };
		}),

	authorize: scopedProcedure('usage:write', 'admin')
		.meta({
			openapi: {
				method: 'POST',
				path: '/usage/authorize',
				tags: ['usage'],
				summary: 'May this user start a request? Uses the same payer chain as settlement; with reserve: true places a hold (capture: report usage with the same request_id)',
				description: OWN_USAGE_RULE
			}
		})
		.input(authorizeInput)
		.output(
			z.object({
				allowed: z.boolean(),
				reason: z.string(),
				payer: z.object({ wallet_id: z.number().int(), group_id: z.number().int().nullable() }).nullable(),
				available: z.number().int().describe('the payer: spendable balance less active holds (after this hold, when one was placed)'),
				estimated_cost: z.number().int(),
				hold_id: z.number().int().nullable().optional().describe('reserve: the hold placed, null when refused'),
				expires_at: z.date().nullable().optional().describe('reserve: when the hold lapses unless captured or released')
			})
		)
		.mutation(async ({ ctx, input }) => {
			if (ownUsageOnly(ctx.user, ctx.apiKey) && input.user_id !== ctx.user.id) throw new TRPCError({ code: 'FORBIDDEN', message: NOT_OWN_USAGE });
			const request = {
				userId: input.user_id,
				model: input.model,
				estimatedInputTokens: input.estimated_input_tokens,
				maxOutputTokens: input.max_output_tokens,
				estimatedCost: input.estimated_cost
			};
			if (input.reserve !== true) return authorizeUsage(ctx.db, request);
			try {
				return await reserveCredit(ctx.db, {
					...request,
					requestId: input.request_id!,
					ttlSeconds: input.ttl_seconds ?? DEFAULT_HOLD_TTL_SECONDS,
					placedBy: ctx.user.id,
					apiKeyId: ctx.apiKey?.id ?? null
				});
			} catch (err) {
				if (err instanceof ReserveError) throw new TRPCError({ code: RESERVE_ERROR_STATUS[err.code], message: err.code });
				throw err;
			}
		}),

	...holdProcedures,

	balance: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/balance', tags: ['usage'], summary: "The caller's balance in credits and whether it is in arrears" } })
		.input(z.void())
		.output(z.object({ token_balance: z.number().int(), in_arrears: z.boolean() }).extend(allowanceSummaryOutput.shape))
		.query(async ({ ctx }) => ({ ...(await userBalance(ctx.db, ctx.user.id)), ...(await allowanceSummary(ctx.db, ctx.user.id)) })),

	summary: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/summary', tags: ['usage'], summary: "The caller's usage totals (today, this month, all time, UTC) and balance" } })
		.input(z.void())
		.output(z.object({ token_balance: z.number().int(), in_arrears: z.boolean(), today: totals, this_month: totals, all_time: totals }).extend(allowanceSummaryOutput.shape))
		.query(async ({ ctx }) => ({ ...(await usageSummary(ctx.db, ctx.user.id)), ...(await allowanceSummary(ctx.db, ctx.user.id)) })),

	models: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/models', tags: ['usage'], summary: 'Active models with the prices in force now (credits per 1M tokens)' } })
		.input(z.void())
		.output(z.array(modelOutput))
		.query(async ({ ctx }) => (await listModels(ctx.db)).map(modelToOutput))
});
