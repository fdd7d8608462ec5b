import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { textParams, usageRecordsInput } from '$lib/schemas/dashboard';
import { fromText } from '$lib/schemas/text-input';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const caller = serverCaller(event);
	const params = textParams(event.url, ['from', 'to', 'model', 'after']);
	const models = await loadCall(() => caller.dashboard.usedModels({ user_id: userId }));
	const parsed = usageRecordsInput.safeParse({ ...fromText(usageRecordsInput, params), user_id: userId, limit: 50 });
	if (!parsed.success) {
		const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>;
		return { params, models, userId, fieldErrors, records: [], nextCursor: null };
	}
	const page = await loadCall(() => caller.dashboard.records(parsed.data));
	return { params, models, userId, fieldErrors: {}, records: page.records, nextCursor: page.next_cursor };
};
