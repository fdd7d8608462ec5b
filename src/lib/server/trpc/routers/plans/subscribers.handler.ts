import type { HandlerOptions } from '../../context';
import { listSubscribers } from '../../../plans/catalog';

export async function subscribersHandler({ ctx }: HandlerOptions) {
	return (await listSubscribers(ctx.db)).map((r) => ({
		id: r.subscription.id,
		email: r.email,
		plan: r.plan,
		status: r.subscription.status,
		started_at: r.subscription.startedAt,
		paid_through: r.subscription.paidThrough,
		cancelled_at: r.subscription.cancelledAt
	}));
}
