import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { loadRegistrationSettings } from '$lib/server/auth/registration-settings';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async ({ locals }) => ({ welcomeCredits: (await loadRegistrationSettings(locals.db)).welcomeCredits });

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['email', 'password', 'name']);
		const result = await formCall(() => serverCaller(event).auth.register(values), { email: values.email, name: values.name });
		if (!result.ok) return result.failure;
		redirect(303, '/dashboard');
	}
};
