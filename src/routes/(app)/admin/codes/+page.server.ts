import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { unitsToCredits } from '$lib/money';
import { config } from '$lib/server/config';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [batches, packages] = await Promise.all([caller.codes.batches({ limit: 100 }), caller.plans.adminPackages()]);
	return { batches, packages: packages.filter((p) => p.active) };
};

const fields = ['name', 'kind', 'amount', 'package_id', 'count', 'expires_at', 'uses_per_code', 'uses_per_user'] as const;

/** What one use gives, from the form: a package, or an amount in money turned into credits (null when unreadable). */
function givesFrom(values: Record<(typeof fields)[number], string>) {
	if (values.kind === 'package') return { kind: 'package' as const, package_id: values.package_id ? strictInt(values.package_id) : undefined };
	const credits = unitsToCredits(values.amount, config().CREDITS_PER_UNIT);
	return credits === null || credits <= 0 ? null : { kind: 'credits' as const, credits };
}

export const actions: Actions = {
	create: async (event) => {
		const values = formValues(await event.request.formData(), fields);
		const gives = givesFrom(values);
		if (!gives) return fail(400, { message: 'invalid_input', fieldErrors: { amount: ['amount_format'] }, values });
		const result = await formCall(
			() =>
				serverCaller(event).codes.createBatch({
					name: values.name,
					...gives,
					count: strictInt(values.count),
					// datetime-local has no zone; the form says UTC
					expires_at: values.expires_at ? `${values.expires_at}:00Z` : undefined,
					uses_per_code: values.uses_per_code ? strictInt(values.uses_per_code) : undefined,
					uses_per_user: values.uses_per_user ? strictInt(values.uses_per_user) : undefined
				}),
			values
		);
		if (!result.ok) return result.failure;
		return { created: result.data };
	},
	disabled: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).codes.setBatchDisabled({ id: strictInt(form.get('id')), disabled: form.get('disabled') === 'true' }));
		if (!result.ok) return result.failure;
		return { toggled: result.data };
	}
};
