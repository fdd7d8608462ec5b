import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const search = event.url.searchParams.get('q')?.trim() || undefined;
	const [settings, orders, late, events] = await Promise.all([
		caller.recharge.admin.settings(),
		caller.recharge.orders({ all: true, search, limit: 100 }),
		caller.recharge.admin.lateOrders(),
		caller.recharge.admin.paymentEvents({ limit: 50 })
	]);
	return { settings, orders, late, events, search: search ?? '' };
};

export const actions: Actions = {
	save: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['tiers', 'bonus_rate_bp', 'bonus_cap', 'custom_min', 'custom_max', 'order_ttl_minutes']);
		const result = await formCall(
			() =>
				serverCaller(event).recharge.admin.updateSettings({
					tiers: values.tiers.split(/[,，\s]+/).filter(Boolean),
					bonus_rate_bp: strictInt(values.bonus_rate_bp),
					bonus_cap: values.bonus_cap,
					enabled: form.get('enabled') === 'on',
					custom_min: values.custom_min,
					custom_max: values.custom_max,
					order_ttl_minutes: strictInt(values.order_ttl_minutes)
				}),
			values
		);
		if (!result.ok) return result.failure;
		return { saved: true };
	},
	refund: async (event) => {
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		const result = await formCall(() => serverCaller(event).recharge.admin.refund({ id, restore_eligibility: form.get('restore') === 'on' }));
		if (!result.ok) return result.failure;
		return { refunded: id };
	}
};
