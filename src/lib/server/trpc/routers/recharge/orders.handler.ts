import type { z } from 'zod';
import type { listOrdersInput } from '$lib/schemas/recharge';
import type { HandlerOptions } from '../../context';
import { orderView } from '../../../recharge/api-shapes';
import { expireStaleOrders, listOrders } from '../../../recharge/orders';
import { ordersWalletId } from '../../../recharge/targets';

export async function ordersHandler({ ctx, input }: HandlerOptions<z.output<typeof listOrdersInput>>) {
	await expireStaleOrders(ctx.db);
	const walletId = await ordersWalletId(ctx.db, ctx.user, { enterpriseId: input.enterprise_id, personal: input.personal });
	const rows = await listOrders(ctx.db, ctx.user, { ...input, walletId, userId: input.user_id });
	return rows.map((r) => orderView(r.order, ctx.user.role === 'admin' ? r.email : undefined));
}
