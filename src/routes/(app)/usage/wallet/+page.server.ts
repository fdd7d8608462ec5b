import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { queryParams, walletHistoryInput } from '$lib/schemas/dashboard';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const parsed = walletHistoryInput.safeParse({ ...queryParams(event.url, walletHistoryInput, ['before']), user_id: userId, limit: 50 });
	if (!parsed.success) error(400, 'invalid_input');
	const history = await loadCall(() => serverCaller(event).dashboard.walletHistory(parsed.data));
	const funds = await loadCall(() => serverCaller(event).usage.wallet({ user_id: userId }));
	return { history, funds, userId, paged: parsed.data.before !== undefined };
};
