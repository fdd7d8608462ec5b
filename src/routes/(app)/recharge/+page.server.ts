import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { paymentMethodSchema } from '$lib/schemas/recharge';
import { loadCall } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const enterprise = strictInt(event.url.searchParams.get('enterprise'));
	const enterpriseId = Number.isInteger(enterprise) && enterprise > 0 ? enterprise : undefined;
	const [page, orders, packages] = await Promise.all([
		loadCall(() => caller.recharge.page({ enterprise_id: enterpriseId })),
		// Each wallet's page lists only the orders into that wallet.
		loadCall(() => (enterpriseId === undefined ? caller.recharge.orders({ personal: true, limit: 20 }) : caller.recharge.orders({ enterprise_id: enterpriseId, limit: 20 }))),
		// Packages are personal: shown beside the tiers when topping up one's own wallet.
		enterpriseId === undefined ? caller.plans.packages() : Promise.resolve([])
	]);
	return { ...page, orders, packages, debugRequested: event.url.searchParams.get('debug') === '1' };
};

export const actions: Actions = {
	cancel: async (event) => {
		const values = formValues(await event.request.formData(), ['id']);
		const result = await formCall(() => serverCaller(event).recharge.cancelOrder({ id: values.id }), values);
		if (!result.ok) return result.failure;
		return { cancelled: result.data.id };
	},
	create: async (event) => {
		const values = formValues(await event.request.formData(), ['amount', 'tier', 'custom_amount', 'method', 'enterprise_id']);
		// The script fills `amount`; without it, a tier card's button or the custom field says it.
		values.amount ||= values.tier || values.custom_amount;
		const method = paymentMethodSchema.safeParse(values.method);
		const result = await formCall(
			() => serverCaller(event).recharge.createOrder({
					amount: values.amount,
					method: method.success ? method.data : ('' as 'sandbox'),
					enterprise_id: values.enterprise_id ? strictInt(values.enterprise_id) : undefined
				}),
			values
		);
		if (!result.ok) return result.failure;
		redirect(303, result.data.checkout_url ?? `/recharge/orders/${result.data.id}`);
	},
	redeem: async (event) => {
		const { code } = formValues(await event.request.formData(), ['code']);
		const result = await formCall(() => serverCaller(event).codes.redeem({ code }));
		if (!result.ok) {
			const { message, fieldErrors } = result.failure.data as { message: string; fieldErrors: Record<string, string[]> };
			return fail(result.failure.status, { redeem: { message: fieldErrors.code?.[0] ?? message, code } });
		}
		return { redeem: { redeemed: result.data } };
	}
};
