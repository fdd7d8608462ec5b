import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	return { user: locals.user, notices: await serverCaller(event).alerts.notices() };
};
