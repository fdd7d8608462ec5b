import type { z } from 'zod';
import type { orderIdInput } from '$lib/schemas/recharge';
import type { HandlerOptions } from '../../context';
import { orderView } from '../../../recharge/api-shapes';
import { cancelOrder } from '../../../recharge/orders';

export async function cancelOrderHandler({ ctx, input }: HandlerOptions<z.output<typeof orderIdInput>>) {
	return orderView(await cancelOrder(ctx.db, ctx.user, input.id));
}
