import type { z } from 'zod';
import type { subscribeInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { subscribe } from '../../../plans/subscriptions';
import { orderView } from '../../../recharge/api-shapes';
import { withPlanErrors } from './plan-errors';

export function subscribeHandler({ ctx, input }: HandlerOptions<z.output<typeof subscribeInput>>) {
	return withPlanErrors(async () =>
		orderView(await subscribe(ctx.db, ctx.user.id, { planId: input.id, method: input.method, months: input.months, expectedPrice: input.expected_price }))
	);
}
