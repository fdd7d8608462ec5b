import { error, fail } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import { MAX_ROW_ID } from '$lib/schemas/fields';
import type { Actions, PageServerLoad } from './$types';
import { parseEmailList } from '$lib/schemas/enterprises';
import { unitsToCredits } from '$lib/money';
import { config } from '$lib/server/config';
import { formCall } from '$lib/server/forms';
import { loadCall } from '$lib/server/loads';
import { serverCaller } from '$lib/server/trpc/caller';
import { thresholdFromText } from '$lib/server/alerts/threshold-text';
import { textParams } from '$lib/schemas/dashboard';
import { membersQuery, searchError } from './member-search';

function enterpriseIdOf(params: { id: string }): number {
	const id = strictInt(params.id);
	if (!Number.isInteger(id) || id <= 0 || id > MAX_ROW_ID) error(404, 'enterprise_not_found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	const enterpriseId = enterpriseIdOf(event.params);
	const caller = serverCaller(event);
	return loadCall(async () => {
		const enterprise = await caller.enterprises.get({ enterprise_id: enterpriseId });
		const q = textParams(event.url, ['q']).q ?? '';
		const search = membersQuery(enterpriseId, q);
		const [members, invitations, history, report, alertThreshold] = await Promise.all([
			search.success ? caller.enterprises.members(search.data) : [],
			caller.enterprises.invitations({ enterprise_id: enterpriseId }),
			caller.enterprises.walletHistory({ enterprise_id: enterpriseId, limit: 50 }),
			caller.enterprises.report({ enterprise_id: enterpriseId }),
			caller.alerts.enterpriseThreshold({ enterpriseId })
		]);
		return { enterprise, q, searchError: search.success ? null : searchError(search.error), members, invitations, history, report, alertThreshold };
	});
};

async function emailsFromForm(form: FormData): Promise<string[]> {
	let text = String(form.get('emails') ?? '');
	const file = form.get('file');
	if (file instanceof File && file.size > 0) text += '\n' + (await file.slice(0, 1_000_000).text());
	return parseEmailList(text);
}

export const actions: Actions = {
	add: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const result = await formCall(() => serverCaller(event).enterprises.invite({ enterprise_id: enterpriseId, emails: [email] }), { email });
		return result.ok ? { batch: result.data } : result.failure;
	},
	batch: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const form = await event.request.formData();
		const emails = await emailsFromForm(form);
		if (emails.length === 0) return fail(400, { message: 'emails_required' });
		const caller = serverCaller(event);
		if (form.get('mode') === 'remove') {
			const removal = await formCall(() => caller.enterprises.removeMembers({ enterprise_id: enterpriseId, emails }));
			return removal.ok ? { batch: removal.data } : removal.failure;
		}
		const result = await formCall(() => caller.enterprises.invite({ enterprise_id: enterpriseId, emails }));
		return result.ok ? { batch: result.data } : result.failure;
	},
	revoke: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).enterprises.revokeInvitation({ enterprise_id: enterpriseId, invitation_id: strictInt(form.get('invitation_id')) }));
		return result.ok ? { revoked: true } : result.failure;
	},
	remove: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).enterprises.removeUser({ group_id: enterpriseId, user_id: strictInt(form.get('user_id')) }));
		return result.ok ? { removed: true } : result.failure;
	},
	limit: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const form = await event.request.formData();
		const text = String(form.get('limit') ?? '').trim();
		const credits = text === '' ? null : unitsToCredits(text, config().CREDITS_PER_UNIT);
		if (text !== '' && credits === null) return fail(400, { message: 'invalid_limit' });
		const result = await formCall(() =>
			serverCaller(event).enterprises.setLimit({ enterprise_id: enterpriseId, user_id: strictInt(form.get('user_id')), monthly_limit: credits })
		);
		return result.ok ? { limitSaved: true } : result.failure;
	},
	alertThreshold: async (event) => {
		const enterpriseId = enterpriseIdOf(event.params);
		const threshold = thresholdFromText(String((await event.request.formData()).get('threshold') ?? ''));
		if (!threshold.ok) return fail(400, { message: 'invalid_input', fieldErrors: { threshold: ['amount_format'] } });
		const result = await formCall(() => serverCaller(event).alerts.setEnterpriseThreshold({ enterpriseId, threshold: threshold.credits }));
		return result.ok ? { alertThresholdSaved: true } : result.failure;
	}
};
