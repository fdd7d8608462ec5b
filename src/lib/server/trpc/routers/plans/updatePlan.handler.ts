import type { z } from 'zod';
import type { planUpdateInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { planView } from '../../../plans/api-shapes';
import { updatePlan } from '../../../plans/catalog';
import { withPlanErrors } from './plan-errors';

export function updatePlanHandler({ ctx, input }: HandlerOptions<z.output<typeof planUpdateInput>>) {
	return withPlanErrors(async () => planView(await updatePlan(ctx.db, input.id, input)));
}
