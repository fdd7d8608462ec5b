import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { createOrderInput } from '$lib/schemas/recharge';
import { unitsToCredits } from '$lib/money';
import type { HandlerOptions } from '../../context';
import { config } from '../../../config';
import { orderView } from '../../../recharge/api-shapes';
import { createOrder } from '../../../recharge/orders';

export async function createOrderHandler({ ctx, input }: HandlerOptions<z.output<typeof createOrderInput>>) {
	const amountCredits = unitsToCredits(input.amount, config().CREDITS_PER_UNIT);
	if (amountCredits === null || amountCredits <= 0) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_format' });
	const order = await createOrder(ctx.db, ctx.user, { amountCredits, method: input.method, enterpriseId: input.enterprise_id });
	return orderView(order);
}
