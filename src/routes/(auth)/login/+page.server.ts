import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { safeRedirectPath } from '$lib/server/http/safe-redirect';
import { serverCaller } from '$lib/server/trpc/caller';

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['email', 'password']);
		const result = await formCall(() => serverCaller(event).auth.login(values), { email: values.email });
		if (!result.ok) return result.failure;
		redirect(303, safeRedirectPath(event.url.searchParams.get('redirectTo'), '/dashboard'));
	}
};
