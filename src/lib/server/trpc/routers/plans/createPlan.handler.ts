import type { z } from 'zod';
import type { planInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { planView } from '../../../plans/api-shapes';
import { createPlan } from '../../../plans/catalog';

export async function createPlanHandler({ ctx, input }: HandlerOptions<z.output<typeof planInput>>) {
	return planView(await createPlan(ctx.db, input));
}
