import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => ({ settings: await serverCaller(event).admin.registrationSettings() });

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['welcome', 'registrations_per_ip_per_hour']);
		const result = await formCall(() => serverCaller(event).admin.updateRegistrationSettings(values), values);
		if (!result.ok) return result.failure;
		return { saved: true };
	}
};
