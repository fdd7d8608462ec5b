import type { HandlerOptions } from '../../context';
import { allowanceSummary } from '../../../plans/allowance-summary';
import { userBalance } from '../../../usage/summary';

export async function balanceHandler({ ctx }: HandlerOptions) {
	return { ...(await userBalance(ctx.db, ctx.user.id)), ...(await allowanceSummary(ctx.db, ctx.user.id)) };
}
