import type { HandlerOptions } from '../../context';
import { planView } from '../../../plans/api-shapes';
import { listPlans } from '../../../plans/catalog';

export async function listHandler({ ctx }: HandlerOptions) {
	return (await listPlans(ctx.db)).map(planView);
}
