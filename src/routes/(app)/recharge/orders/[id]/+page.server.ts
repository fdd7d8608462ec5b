import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	try {
		return { order: await serverCaller(event).recharge.order({ id: event.params.id }) };
	} catch (err) {
		if (err instanceof TRPCError && err.code === 'NOT_FOUND') error(404, 'order_not_found');
		throw err;
	}
};
