import type { HandlerOptions } from '../../context';
import { listSales } from '../../../plans/catalog';
import { orderView } from '../../../recharge/api-shapes';

export async function salesHandler({ ctx }: HandlerOptions) {
	return (await listSales(ctx.db)).map((r) => ({ ...orderView(r.order), user_email: r.email }));
}
