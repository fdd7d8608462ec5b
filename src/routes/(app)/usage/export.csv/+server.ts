import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { textParams, usageCsvInput } from '$lib/schemas/dashboard';
import { fromText } from '$lib/schemas/text-input';
import type { MessageKey } from '$lib/i18n';
import type { plans } from '$lib/i18n/messages/plans';
import type { usage } from '$lib/i18n/messages/usage';
import { translate } from '$lib/server/i18n';
import { config } from '$lib/server/config';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';
import { keyFilter, payerFilter } from '../filters';

const COLUMNS: MessageKey<typeof usage | typeof plans>[] = ['usage.time', 'usage.requestId', 'usage.model', 'usage.inputTokens', 'usage.outputTokens', 'usage.csv.costCredits', 'usage.csv.cost', 'usage.paidBy', 'plans.unit.images', 'plans.fromPlan', 'plans.fromBalance'];

/** The filtered usage log as a CSV download named by its date range, column names in the reader's language (or, for an admin, ?user=<id>). */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, 'sign_in_required');
	const locale = event.locals.locale;
	const params = textParams(event.url, ['from', 'to', 'model', 'key', 'payer']);
	const parsed = usageCsvInput.safeParse({
		...fromText(usageCsvInput, { ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}), ...(params.model ? { model: params.model } : {}) }),
		...payerFilter(params.payer),
		...keyFilter(params.key),
		user_id: viewedUserId(event.url),
		header: COLUMNS.map((key) => translate(locale, key, { currency: config().CURRENCY })),
		personal_label: translate(locale, 'usage.personal')
	});
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
