import type { Actions, PageServerLoad } from './$types';
import { keyScopes, type KeyScope } from '$lib/schemas/keys';
import { ownerMayHold } from '$lib/server/auth/api-keys';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const keys = await serverCaller(event).keys.list();
	const role = event.locals.user?.role ?? 'user';
	return { keys, scopes: keyScopes.filter((scope) => ownerMayHold(role, scope)) };
};

export const actions: Actions = {
	create: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['name', 'expires_at']);
		const scopes = form.getAll('scopes').map(String) as KeyScope[];
		const result = await formCall(
			() =>
				serverCaller(event).keys.create({
					name: values.name,
					expires_at: values.expires_at ? `${values.expires_at}T00:00:00Z` : undefined,
					scopes
				}),
			values
		);
		if (!result.ok) return result.failure;
		return { created: { name: result.data.name, key: result.data.key } };
	},
	revoke: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).keys.revoke({ id: Number(form.get('id')) }));
		if (!result.ok) return result.failure;
		return { revoked: result.data.id };
	}
};
