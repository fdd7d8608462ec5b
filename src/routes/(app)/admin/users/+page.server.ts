import type { Actions, PageServerLoad } from './$types';
import { formCall } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { translate } from '$lib/server/i18n';

export const load: PageServerLoad = async (event) => {
	const search = event.url.searchParams.get('q') ?? '';
	return { search, me: event.locals.user?.id ?? 0, users: await serverCaller(event).admin.users({ search: search || undefined }) };
};

export const actions: Actions = {
	role: async (event) => {
		const form = await event.request.formData();
		const role = form.get('role') === 'admin' ? 'admin' : 'user';
		const caller = serverCaller(event);
		const result = await formCall(() => caller.admin.setRole({ userId: strictInt(form.get('userId')), role }));
		if (!result.ok) return result.failure;
		const user = await caller.admin.user({ userId: result.data.id });
		return { done: translate(event.locals.locale, 'admin.users.roleChanged', { email: user.email }) };
	},
	disable: async (event) => {
		const form = await event.request.formData();
		const disabled = form.get('disabled') === 'true';
		const caller = serverCaller(event);
		const result = await formCall(() => caller.admin.setDisabled({ userId: strictInt(form.get('userId')), disabled }));
		if (!result.ok) return result.failure;
		const user = await caller.admin.user({ userId: result.data.id });
		return { done: translate(event.locals.locale, disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { email: user.email }) };
	}
};
