import type { Actions, PageServerLoad } from './$types';
import { packageInput, planInput, planUpdateInput } from '$lib/schemas/plans';
import { formCall, formInput } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [plans, packages, subscribers, sales] = await Promise.all([
		caller.plans.adminPlans(),
		caller.plans.adminPackages(),
		caller.plans.subscribers(),
		caller.plans.sales()
	]);
	return { plans, packages, subscribers, sales };
};

const planFields = ['name', 'price', 'allowance_credits', 'allowance_tokens', 'allowance_images', 'rollover_cap_percent'];

/** A checkbox is absent when unticked: active is true only when the form sends it. */
function withActive<T extends object>(input: T, form: FormData): T & { active: boolean } {
	return { ...input, active: form.get('active') === 'on' };
}

export const actions: Actions = {
	createPlan: async (event) => {
		const form = await event.request.formData();
		const input = withActive(formInput(form, planInput, planFields), form);
		const result = await formCall(() => serverCaller(event).plans.createPlan(input), Object.fromEntries(form));
		if (!result.ok) return result.failure;
		return { saved: result.data.name };
	},
	updatePlan: async (event) => {
		const form = await event.request.formData();
		const input = withActive(formInput(form, planUpdateInput, ['id', ...planFields]), form);
		const result = await formCall(() => serverCaller(event).plans.updatePlan(input), Object.fromEntries(form));
		if (!result.ok) return result.failure;
		return { saved: result.data.name };
	},
	createPackage: async (event) => {
		const form = await event.request.formData();
		const input = withActive(formInput(form, packageInput, ['name', 'unit', 'amount', 'bonus', 'price', 'validity_days']), form);
		const result = await formCall(() => serverCaller(event).plans.createPackage(input), Object.fromEntries(form));
		if (!result.ok) return result.failure;
		return { saved: result.data.name };
	}
};
