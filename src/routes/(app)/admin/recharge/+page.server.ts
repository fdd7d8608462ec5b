import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { fail } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import { percentToBasisPoints } from '../amounts';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const params = event.url.searchParams;
	const search = params.get('q')?.trim() || undefined;
	const status = statuses.find((s) => s === params.get('status'));
	const from = dayStart(params.get('from'));
	const to = dayStart(params.get('to'), 1);
	const [settings, orders, late, events, enterprises] = await Promise.all([
		caller.recharge.admin.settings(),
		caller.recharge.orders({ all: true, search, status, from: from?.iso, to: to?.iso, limit: 100 }),
		caller.recharge.admin.lateOrders(),
		caller.recharge.admin.paymentEvents({ limit: 50 }),
		caller.enterprises.list()
	]);
	const filters = { search: search ?? '', status: status ?? '', from: from?.day ?? '', to: to?.day ?? '' };
	return { settings, orders, late, events, filters, walletNames: Object.fromEntries(enterprises.map((g) => [g.id, g.name])) };
};

const statuses = ['pending', 'paid', 'failed', 'expired', 'refunded'] as const;

/** A `YYYY-MM-DD` filter as the UTC instant that day starts (plus `addDays`), or undefined. */
function dayStart(text: string | null, addDays = 0) {
	if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
	const date = new Date(`${text}T00:00:00Z`);
	if (Number.isNaN(date.getTime())) return undefined;
	date.setUTCDate(date.getUTCDate() + addDays);
	return { day: text, iso: date.toISOString() };
}

export const actions: Actions = {
	save: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['tiers', 'bonus_rate_percent', 'bonus_cap', 'custom_min', 'custom_max', 'order_ttl_minutes']);
		const bonusRateBp = percentToBasisPoints(values.bonus_rate_percent);
		if (bonusRateBp === null) return fail(400, { message: 'invalid_input', fieldErrors: { bonus_rate_percent: ['percent_format'] }, values });
		const result = await formCall(
			() =>
				serverCaller(event).recharge.admin.updateSettings({
					tiers: values.tiers.split(/[,，\s]+/).filter(Boolean),
					bonus_rate_bp: bonusRateBp,
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
		const reason = String(form.get('reason') ?? '').trim();
		if (!reason) return fail(400, { message: 'reason_required', fieldErrors: {}, values: { id } });
		const result = await formCall(() =>
			serverCaller(event).recharge.admin.refund({ id, restore_eligibility: form.get('restore') === 'on', reason })
		);
		if (!result.ok) return result.failure;
		return { refunded: id };
	}
};
