import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const mine = await serverCaller(event).rebates.mine();
	return { ...mine, link: `${event.url.origin}/register?invite=${mine.code}` };
};
