import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/usage/load-errors';
import { config } from '$lib/server/config';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const overview = await loadCall(() => serverCaller(event).dashboard.overview({ user_id: userId }));
	const viewingOther = overview.user.id !== event.locals.user!.id;
	const capacity = viewingOther ? null : await loadCall(() => serverCaller(event).capacity.mine());
	const subscriptions = viewingOther ? null : await serverCaller(event).plans.mine();
	return { overview, viewingOther, capacity, subscriptions, timeZone: config().BILLING_TIMEZONE };
};
