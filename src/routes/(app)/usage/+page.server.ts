import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { textParams } from '$lib/schemas/dashboard';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';
import { FILTER_PARAMS, recordsQuery } from './filters';
import { quickRanges } from './quick-ranges';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const caller = serverCaller(event);
	const params = textParams(event.url, [...FILTER_PARAMS, 'after']);
	const own = userId === undefined || userId === event.locals.user!.id;
	const [models, keys, enterprises] = await Promise.all([
		loadCall(() => caller.dashboard.usedModels({ user_id: userId })),
		// Keys and enterprises are the signed-in user's own, so they filter only one's own usage.
		own ? caller.keys.list() : [],
		own ? caller.enterprises.mine() : []
	]);
	const choices = {
		keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix })),
		enterprises: enterprises.map((g) => ({ id: g.id, name: g.name }))
	};
	const parsed = recordsQuery(params, userId);
	const ranges = quickRanges();
	if (!parsed.success) {
		const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>;
		return { params, models, ...choices, ranges, userId, fieldErrors, records: [], nextCursor: null, totals: null, filtered: true };
	}
	const page = await loadCall(() => caller.dashboard.records(parsed.data));
	const filtered = FILTER_PARAMS.some((name) => params[name]);
	return { params, models, ...choices, ranges, userId, fieldErrors: {}, records: page.records, nextCursor: page.next_cursor, totals: page.totals, filtered };
};
