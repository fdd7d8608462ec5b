import type { HandlerOptions } from '../../context';
import { mySubscriptions } from '../../../plans/subscriptions';

export async function mineHandler({ ctx }: HandlerOptions) {
	return (await mySubscriptions(ctx.db, ctx.user.id)).map((s) => ({
		id: s.id,
		plan_id: s.planId,
		plan_name: s.planName,
		started_at: s.startedAt,
		paid_through: s.paidThrough,
		cancelled_at: s.cancelledAt,
		period_start: s.periodStart,
		period_end: s.periodEnd,
		resets_at: s.resetsAt,
		allowances: s.allowances
	}));
}
