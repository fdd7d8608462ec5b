import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { adminGrantInput } from '$lib/schemas/plans';
import { strictInt } from '$lib/schemas/text-input';
import { formCall, formInput } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const userId = strictInt(event.url.searchParams.get('user_id'));
	const valid = Number.isInteger(userId) && userId > 0;
	const grants = await serverCaller(event).plans.grants(valid ? { user_id: userId } : {});
	// A fresh key per page view: a resubmitted form (double click, retry) grants once.
	return { grants, userId: valid ? userId : null, freshKey: `console-${randomUUID()}` };
};

export const actions: Actions = {
	grant: async (event) => {
		const form = await event.request.formData();
		const input = formInput(form, adminGrantInput, ['user_id', 'enterprise_id', 'unit', 'amount', 'reason', 'expires_at', 'idempotency_key']);
		const result = await formCall(() => serverCaller(event).plans.grant(input), Object.fromEntries(form));
		if (!result.ok) return result.failure;
		return { granted: result.data.id, duplicate: result.data.duplicate };
	}
};
