import { error, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { orders } from '$lib/server/db/schema';
import { settleSandboxOrder } from '$lib/server/recharge/sandbox-pay';
import { serverCaller } from '$lib/server/trpc/caller';

async function viewableOrder(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	try {
		const order = await serverCaller(event).recharge.order({ id: event.params.order });
		if (order.method !== 'sandbox') error(404, 'order_not_found');
		return order;
	} catch (err) {
		if (err instanceof TRPCError && err.code === 'NOT_FOUND') error(404, 'order_not_found');
		throw err;
	}
}

/** The sandbox checkout: "pay" / "fail" send a signed notification through the same receiver as the HTTP callback. */
async function settle(event: RequestEvent, status: 'paid' | 'failed') {
	const view = await viewableOrder(event);
	const [row] = await event.locals.db.select().from(orders).where(eq(orders.publicId, view.id));
	await settleSandboxOrder(event.locals.db, row, status);
	redirect(303, `/recharge/orders/${view.id}`);
}

export const load: PageServerLoad = async (event) => ({ order: await viewableOrder(event) });

export const actions: Actions = {
	pay: (event) => settle(event, 'paid'),
	fail: (event) => settle(event, 'failed')
};
