import { redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

/** Signed-in accounts always; visitors when an admin allows it, otherwise they are sent to sign in. */
export const load: PageServerLoad = async (event) => {
	try {
		return { prices: await serverCaller(event).prices.list() };
	} catch (err) {
		if (err instanceof TRPCError && err.code === 'UNAUTHORIZED') redirect(303, '/login?redirectTo=%2Fprices');
		throw err;
	}
};
