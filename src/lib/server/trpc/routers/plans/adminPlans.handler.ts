import type { HandlerOptions } from '../../context';
import { planView } from '../../../plans/api-shapes';
import { listPlans } from '../../../plans/catalog';

export async function adminPlansHandler({ ctx }: HandlerOptions) {
	return (await listPlans(ctx.db, { includeInactive: true })).map(planView);
}
