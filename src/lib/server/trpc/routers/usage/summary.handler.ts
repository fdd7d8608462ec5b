import type { HandlerOptions } from '../../context';
import { allowanceSummary } from '../../../plans/allowance-summary';
import { usageSummary } from '../../../usage/summary';

export async function summaryHandler({ ctx }: HandlerOptions) {
	return { ...(await usageSummary(ctx.db, ctx.user.id)), ...(await allowanceSummary(ctx.db, ctx.user.id)) };
}
