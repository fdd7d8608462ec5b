import type { z } from 'zod';
import type { HandlerOptions } from '../../../context';
import { recentPaymentEvents } from '../../../../recharge/confirm-payment';
import type { paymentEventsInput } from './paymentEvents.schema';

export async function paymentEventsHandler({ ctx, input }: HandlerOptions<z.output<typeof paymentEventsInput>>) {
	const rows = await recentPaymentEvents(ctx.db, input.limit);
	return rows.map((e) => ({ id: e.id, provider: e.provider, order_id: e.orderPublicId, outcome: e.outcome, detail: e.detail, created_at: e.createdAt }));
}
