import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { paymentMethodSchema } from '$lib/schemas/recharge';
import { loadCall } from '$lib/server/usage/load-errors';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const group = strictInt(event.url.searchParams.get('group'));
	const groupId = Number.isInteger(group) && group > 0 ? group : undefined;
	const [page, orders] = await Promise.all([
		loadCall(() => caller.recharge.page({ group_id: groupId })),
		caller.recharge.orders({ limit: 20 })
	]);
	return { ...page, orders, debugRequested: event.url.searchParams.get('debug') === '1' };
};

export const actions: Actions = {
	create: async (event) => {
		const values = formValues(await event.request.formData(), ['amount', 'method', 'group_id']);
		const method = paymentMethodSchema.safeParse(values.method);
		const result = await formCall(
			() => serverCaller(event).recharge.createOrder({
					amount: values.amount,
					method: method.success ? method.data : ('' as 'sandbox'),
					group_id: values.group_id ? strictInt(values.group_id) : undefined
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
