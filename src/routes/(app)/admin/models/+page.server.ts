import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [models, featured] = await Promise.all([caller.admin.models(), caller.capacity.featured()]);
	const historyId = strictInt(event.url.searchParams.get('history'));
	const history = Number.isInteger(historyId) && historyId > 0 && models.some((m) => m.id === historyId)
		? await caller.admin.priceHistory({ model_id: historyId })
		: null;
	return {
		models,
		featured,
		history
	};
};

const fields = ['model', 'provider', 'display_name', 'input_price', 'output_price', 'effective_from'] as const;

export const actions: Actions = {
	save: async (event) => {
		const values = formValues(await event.request.formData(), fields);
		const result = await formCall(
			() =>
				serverCaller(event).admin.setModelPrice({
					model: values.model,
					provider: values.provider,
					display_name: values.display_name || undefined,
					input_price: strictInt(values.input_price),
					output_price: strictInt(values.output_price),
					// datetime-local has no zone; the form says UTC
					effective_from: values.effective_from ? `${values.effective_from}:00Z` : undefined
				}),
			values
		);
		if (!result.ok) return result.failure;
		return { saved: values.model };
	},
	featured: async (event) => {
		const text = String((await event.request.formData()).get('featured') ?? '');
		const models = text
			.split(/[,，\s]+/)
			.map((m) => m.trim())
			.filter(Boolean);
		const result = await formCall(() => serverCaller(event).capacity.setFeatured({ models }), { featured: text });
		if (!result.ok) return result.failure;
		return { featuredSaved: true };
	},
	toggle: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() =>
			serverCaller(event).admin.setModelActive({ model_id: strictInt(form.get('model_id')), active: form.get('active') === 'true' })
		);
		if (!result.ok) return result.failure;
		return { toggled: result.data.model_id };
	}
};
