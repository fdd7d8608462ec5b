import type { Actions, PageServerLoad } from './$types';
import { formCall } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const search = event.url.searchParams.get('q') ?? '';
	return { search, users: await serverCaller(event).admin.users({ search: search || undefined }) };
};

export const actions: Actions = {
	role: async (event) => {
		const form = await event.request.formData();
		const role = form.get('role') === 'admin' ? 'admin' : 'user';
		const result = await formCall(() => serverCaller(event).admin.setRole({ userId: strictInt(form.get('userId')), role }));
		if (!result.ok) return result.failure;
	}
};
