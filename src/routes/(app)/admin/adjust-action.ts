import { fail, type RequestEvent } from '@sveltejs/kit';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { config } from '$lib/server/config';
import { strictInt } from '$lib/schemas/text-input';
import { signedUnitsToCredits } from './amounts';

const fields = ['amount', 'reason', 'idempotency_key', 'user_id', 'enterprise_id'] as const;

/**
 * The balance adjustment form (user detail page, enterprises page): amount in currency units,
 * signed; the form's idempotency key makes a repeated submission post once.
 */
export async function adjustAction(event: RequestEvent) {
	const values = formValues(await event.request.formData(), fields);
	const amount = signedUnitsToCredits(values.amount, config().CREDITS_PER_UNIT);
	if (amount === null) return fail(400, { message: 'invalid_input', fieldErrors: { amount: ['amount_format'] }, values, adjust: true });
	const target = values.enterprise_id ? { enterprise_id: strictInt(values.enterprise_id) } : { user_id: strictInt(values.user_id) };
	const result = await formCall(
		() => serverCaller(event).admin.adjustCredits({ ...target, amount, reason: values.reason, idempotency_key: values.idempotency_key }),
		{ ...values, adjust: true }
	);
	if (!result.ok) return result.failure;
	return { adjusted: { amount: result.data.amount, balance_after: result.data.balance_after } };
}
