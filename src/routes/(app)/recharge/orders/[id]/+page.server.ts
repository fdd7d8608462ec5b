import type { PageServerLoad } from './$types';
import { loadCall } from '$lib/server/loads';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => ({ order: await loadCall(() => serverCaller(event).recharge.order({ id: event.params.id })) });
