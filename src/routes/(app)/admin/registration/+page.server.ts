import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => ({
	settings: await serverCaller(event).admin.registrationSettings(),
	priceList: await serverCaller(event).prices.visibility()
});

export const actions: Actions = {
	save: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['welcome', 'registrations_per_ip_per_hour']);
		const result = await formCall(() => serverCaller(event).admin.updateRegistrationSettings({ welcome: values.welcome, registrations_per_ip_per_hour: strictInt(values.registrations_per_ip_per_hour) }), values);
		if (!result.ok) return result.failure;
		return { saved: true };
	},
	prices: async (event) => {
		const visitors = (await event.request.formData()).get('visitors') === 'on';
		const result = await formCall(() => serverCaller(event).prices.setVisibility({ visitors }));
		if (!result.ok) return result.failure;
		return { pricesSaved: true };
	}
};
