import { error } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import type { RequestHandler } from './$types';
import { config } from '$lib/server/config';
import { reportCsv } from '$lib/server/enterprises/reports';
import { loadCall } from '$lib/server/loads';
import { serverCaller } from '$lib/server/trpc/caller';

export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, 'Sign in first');
	const enterpriseId = strictInt(event.params.id);
	const month = event.url.searchParams.get('month') ?? undefined;
	const report = await loadCall(() => serverCaller(event).enterprises.report({ enterprise_id: enterpriseId, month }));
	const { CREDITS_PER_UNIT, CURRENCY } = config();
	const rows = report.rows.map((r) => ({
		userId: r.user_id,
		name: r.name,
		email: r.email,
		active: r.active,
		requests: r.requests,
		inputTokens: r.input_tokens,
		outputTokens: r.output_tokens,
		cost: r.cost
	}));
	// The byte order mark makes spreadsheet apps read the Chinese names as UTF-8.
	return new Response('\uFEFF' + reportCsv(rows, CREDITS_PER_UNIT, CURRENCY), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="enterprise-${enterpriseId}-${report.month}.csv"`
		}
		});
};
