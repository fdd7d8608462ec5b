import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	const caller = serverCaller(event);
	const [balance, notices] = await Promise.all([
		// The header's balance chip on every page; a service account has no wallet to show.
		locals.user.role === 'service' ? null : caller.usage.balance(),
		caller.alerts.notices()
	]);
	return { user: locals.user, balance, notices };
};
