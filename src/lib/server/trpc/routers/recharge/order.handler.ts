import type { z } from 'zod';
import type { orderIdInput } from '$lib/schemas/recharge';
import type { HandlerOptions } from '../../context';
import { walletBalance } from '../../../ledger/wallets';
import { orderView } from '../../../recharge/api-shapes';
import { orderForViewer } from '../../../recharge/orders';
import { enterpriseName } from '../../../recharge/targets';

export async function orderHandler({ ctx, input }: HandlerOptions<z.output<typeof orderIdInput>>) {
	const order = await orderForViewer(ctx.db, ctx.user, input.id);
	const balance = order.userId === ctx.user.id ? await walletBalance(ctx.db, order.walletId) : null;
	const view = orderView(order);
	return { ...view, balance_credits: balance, enterprise_name: view.enterprise_id === null ? null : await enterpriseName(ctx.db, view.enterprise_id) };
}
