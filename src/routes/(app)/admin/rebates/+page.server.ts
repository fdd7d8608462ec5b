import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { unitsToCredits } from '$lib/money';
import { config } from '$lib/server/config';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [settings, inviters] = await Promise.all([caller.rebates.settings(), caller.rebates.topInviters({ limit: 50 })]);
	return { settings, inviters };
};

/** A percentage with up to two decimals as basis points ("5" → 500, "2.5" → 250). */
function percentToBp(text: string): number | null {
	const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
	return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

export const actions: Actions = {
	settings: async (event) => {
		const values = formValues(await event.request.formData(), ['rate', 'per_invitee_cap', 'monthly_cap']);
		const cpu = config().CREDITS_PER_UNIT;
		const cap = (text: string) => (text.trim() === '' ? null : unitsToCredits(text, cpu));
		const rate = percentToBp(values.rate);
		const perInvitee = cap(values.per_invitee_cap);
		const monthly = cap(values.monthly_cap);
		const fieldErrors: Record<string, string[]> = {};
		if (rate === null) fieldErrors.rate = ['amount_format'];
		if (values.per_invitee_cap.trim() !== '' && !perInvitee) fieldErrors.per_invitee_cap = ['amount_format'];
		if (values.monthly_cap.trim() !== '' && !monthly) fieldErrors.monthly_cap = ['amount_format'];
		if (Object.keys(fieldErrors).length) return fail(400, { message: 'invalid_input', fieldErrors, values });
		const result = await formCall(
			() => serverCaller(event).rebates.updateSettings({ rate_bp: rate!, per_invitee_cap_credits: perInvitee ?? null, monthly_cap_credits: monthly ?? null }),
			values
		);
		if (!result.ok) return result.failure;
		return { saved: true };
	},
	disabled: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).rebates.setDisabled({ user_id: strictInt(form.get('user_id')), disabled: form.get('disabled') === 'true' }));
		if (!result.ok) return result.failure;
		return { toggled: result.data };
	}
};
