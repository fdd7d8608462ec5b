import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { loadCall } from '$lib/server/loads';
import { notifySandboxPayment } from '$lib/server/recharge/sandbox-pay';
import { serverCaller } from '$lib/server/trpc/caller';

async function viewableOrder(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const order = await loadCall(() => serverCaller(event).recharge.order({ id: event.params.order }));
	if (order.method !== 'sandbox') error(404, 'order_not_found');
	return order;
}

/**
 * The sandbox checkout: "pay" / "fail" send a signed notification through the same receiver as the
 * HTTP callback, not through a procedure, as a provider's callback would (the order is the caller's:
 * `recharge.order` checked it).
 */
async function checkout(event: RequestEvent, status: 'paid' | 'failed') {
	const view = await viewableOrder(event);
	await notifySandboxPayment(event.locals.db, view.id, status);
	redirect(303, `/recharge/orders/${view.id}`);
}

export const load: PageServerLoad = async (event) => ({ order: await viewableOrder(event) });

export const actions: Actions = {
	pay: (event) => checkout(event, 'paid'),
	fail: (event) => checkout(event, 'failed')
};
