import type { z } from 'zod';
import type { HandlerOptions } from '../../context';
import { cancelSubscription } from '../../../plans/subscriptions';
import { withPlanErrors } from './plan-errors';
import type { cancelInput } from './cancel.schema';

export function cancelHandler({ ctx }: HandlerOptions<z.output<typeof cancelInput>>) {
	return withPlanErrors(async () => ({ cancelled: (await cancelSubscription(ctx.db, ctx.user.id)).length }));
}
