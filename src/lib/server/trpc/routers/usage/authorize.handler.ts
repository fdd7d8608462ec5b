import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { DEFAULT_HOLD_TTL_SECONDS, type authorizeInput } from '$lib/schemas/metering';
import type { HandlerOptions } from '../../context';
import { ownUsageOnly } from '../../../auth/api-keys';
import { authorizeUsage, ReserveError, reserveCredit } from '../../../usage/authorize';
import { NOT_OWN_USAGE } from '../../../usage/own-usage';

const RESERVE_ERROR_STATUS = {
	unknown_user: 'NOT_FOUND',
	model_not_priced: 'NOT_FOUND',
	estimate_required: 'BAD_REQUEST',
	request_id_conflict: 'CONFLICT'
} as const;

export async function authorizeHandler({ ctx, input }: HandlerOptions<z.output<typeof authorizeInput>>) {
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
}
