import type { HandlerOptions } from '../../../context';
import { orderView } from '../../../../recharge/api-shapes';
import { listOrders } from '../../../../recharge/orders';

export async function lateOrdersHandler({ ctx }: HandlerOptions) {
	const rows = await listOrders(ctx.db, ctx.user, { all: true, lateOnly: true, limit: 200 });
	return rows.map((r) => orderView(r.order, r.email));
}
