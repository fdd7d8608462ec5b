import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formCall } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { loadCall } from '$lib/server/usage/load-errors';

export const load: PageServerLoad = async (event) => {
	const id = strictInt(event.params.id);
	if (!Number.isInteger(id) || id <= 0) error(404, 'not_found');
	return loadCall(() => serverCaller(event).codes.batch({ id }));
};

export const actions: Actions = {
	code: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).codes.setCodeDisabled({ id: strictInt(form.get('id')), disabled: form.get('disabled') === 'true' }));
		if (!result.ok) return result.failure;
		return { toggled: result.data };
	}
};
