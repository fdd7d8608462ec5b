import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const overview = await loadCall(() => serverCaller(event).dashboard.overview({ user_id: userId }));
	const viewingOther = overview.user.id !== event.locals.user!.id;
	const capacity = viewingOther ? null : await loadCall(() => serverCaller(event).capacity.mine());
	return { overview, viewingOther, capacity };
};
