import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { buyPackageInput, subscribeInput } from '$lib/schemas/plans';
import { config } from '$lib/server/config';
import { formCall, formInput } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [plans, mine, page] = await Promise.all([
		caller.plans.list(),
		caller.plans.mine(),
		loadCall(() => caller.recharge.page({}))
	]);
	return { plans, mine, methods: page.methods, timeZone: config().BILLING_TIMEZONE };
};

export const actions: Actions = {
	subscribe: async (event) => {
		const form = await event.request.formData();
		const input = formInput(form, subscribeInput, ['id', 'method', 'months', 'expected_price']);
		const result = await formCall(() => serverCaller(event).plans.subscribe(input), { id: String(form.get('id') ?? '') });
		if (!result.ok) return result.failure;
		redirect(303, result.data.checkout_url ?? `/recharge/orders/${result.data.id}`);
	},
	buyPackage: async (event) => {
		const form = await event.request.formData();
		const input = formInput(form, buyPackageInput, ['id', 'method', 'expected_price']);
		const result = await formCall(() => serverCaller(event).plans.buyPackage(input), { id: String(form.get('id') ?? '') });
		if (!result.ok) return result.failure;
		redirect(303, result.data.checkout_url ?? `/recharge/orders/${result.data.id}`);
	},
	cancel: async (event) => {
		const result = await formCall(() => serverCaller(event).plans.cancel({}));
		if (!result.ok) return result.failure;
		return { cancelled: result.data.cancelled };
	}
};
