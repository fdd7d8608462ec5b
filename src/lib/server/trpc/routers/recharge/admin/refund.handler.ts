import type { z } from 'zod';
import type { refundInput } from '$lib/schemas/recharge';
import type { HandlerOptions } from '../../../context';
import { orderView } from '../../../../recharge/api-shapes';
import { refundOrder } from '../../../../recharge/refund';

export async function refundHandler({ ctx, input }: HandlerOptions<z.output<typeof refundInput>>) {
	return orderView(await refundOrder(ctx.db, ctx.user.id, input.id, input.restore_eligibility, input.reason));
}
