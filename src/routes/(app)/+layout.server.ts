import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: LayoutServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	// The header's balance chip on every page; a service account has no wallet to show.
	const balance = locals.user.role === 'service' ? null : await serverCaller(event).usage.balance();
	return { user: locals.user, balance };
};
