import type { Actions } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const actions: Actions = {
	password: async (event) => {
		const values = formValues(await event.request.formData(), ['currentPassword', 'newPassword']);
		const result = await formCall(() => serverCaller(event).auth.changePassword(values));
		if (!result.ok) return result.failure;
		return { passwordChanged: true };
	}
};
