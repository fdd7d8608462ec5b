import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { thresholdFromText } from '$lib/server/alerts/threshold-text';
import { formCall, formValues } from '$lib/server/forms';
import { safeRedirectPath } from '$lib/server/http/safe-redirect';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [settings, deliveries] = await Promise.all([caller.alerts.settings(), caller.alerts.deliveries()]);
	return { settings, deliveries };
};

export const actions: Actions = {
	save: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['threshold', 'webhookUrl']);
		const threshold = thresholdFromText(values.threshold);
		if (!threshold.ok) return fail(400, { message: 'invalid_input', fieldErrors: { threshold: ['amount_format'] }, values });
		const result = await formCall(
			() =>
				serverCaller(event).alerts.updateSettings({
					threshold: threshold.credits,
					webhookUrl: values.webhookUrl.trim() === '' ? null : values.webhookUrl.trim(),
					emailEnabled: form.get('emailEnabled') === 'on'
				}),
			values
		);
		if (!result.ok) return result.failure;
		return { saved: true, secret: result.data.new_secret };
	},
	regenerate: async (event) => {
		const result = await formCall(() => serverCaller(event).alerts.regenerateSecret());
		if (!result.ok) return result.failure;
		return { secret: result.data.secret };
	},
	dismiss: async (event) => {
		const form = await event.request.formData();
		const id = strictInt(String(form.get('id') ?? ''));
		const result = await formCall(() => serverCaller(event).alerts.dismiss({ id }));
		if (!result.ok) return result.failure;
		redirect(303, safeRedirectPath(form.get('redirectTo'), '/dashboard'));
	}
};
