import type { PageServerLoad } from './$types';
import { findUsersInput } from '$lib/schemas/dashboard';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const q = findUsersInput.safeParse({ q: event.url.searchParams.get('q') ?? '' });
	const query = q.success ? q.data.q : '';
	const [platform, found] = await Promise.all([
		loadCall(() => caller.dashboard.platform({ days: 30 })),
		query ? loadCall(() => caller.dashboard.findUsers({ q: query })) : Promise.resolve(null)
	]);
	return { platform, query, found };
};
