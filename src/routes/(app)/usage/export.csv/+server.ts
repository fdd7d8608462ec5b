import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { queryParams, usageFilterInput } from '$lib/schemas/dashboard';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';

/** The filtered usage log as a CSV download, for the signed-in user (or, for an admin, ?user=<id>). */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, 'sign_in_required');
	const parsed = usageFilterInput.safeParse({ ...queryParams(event.url, usageFilterInput, ['from', 'to', 'model']), user_id: viewedUserId(event.url) });
	if (!parsed.success) error(400, parsed.error.issues[0]?.message ?? 'invalid_input');
	const result = await loadCall(() => serverCaller(event).dashboard.exportCsv(parsed.data));
	return new Response('\uFEFF' + result.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${result.filename}"`,
			'cache-control': 'no-store',
			'x-row-count': String(result.rows),
			'x-truncated': String(result.truncated)
		}
	});
};
