import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/usage/load-errors';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const overview = await loadCall(() => serverCaller(event).dashboard.overview({ user_id: userId }));
	return { overview, viewingOther: overview.user.id !== event.locals.user!.id };
};
