import type { Actions, PageServerLoad } from './$types';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { fail } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import { config } from '$lib/server/config';
import { isFarFrom, priceUnitsToCredits } from '../amounts';
import { modelPriceInput } from '$lib/schemas/metering';

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
		history,
		// How long other instances keep serving a model's previous price (usage/metering-cache.ts).
		modelCacheSeconds: config().MODEL_CACHE_SECONDS
	};
};

const fields = ['model', 'provider', 'display_name', 'type', 'input_price', 'output_price', 'image_price', 'min_charge', 'effective_from'] as const;

/** An optional money field: empty = not given (undefined), else credits or null when malformed. */
function optionalCredits(text: string, perUnit: number): number | null | undefined {
	return text.trim() === '' ? undefined : priceUnitsToCredits(text, perUnit);
}

export const actions: Actions = {
	save: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, fields);
		// The form takes money per 1M tokens; the procedure (and REST) takes credits.
		const perUnit = config().CREDITS_PER_UNIT;
		const inputPrice = priceUnitsToCredits(values.input_price, perUnit);
		const outputPrice = priceUnitsToCredits(values.output_price, perUnit);
		const imagePrice = optionalCredits(values.image_price, perUnit);
		const minCharge = optionalCredits(values.min_charge, perUnit);
		const type = values.type === 'image' || values.type === 'text' ? values.type : undefined;
		const fieldErrors: Record<string, string[]> = {};
		if (inputPrice === null) fieldErrors.input_price = ['price_format'];
		if (outputPrice === null) fieldErrors.output_price = ['price_format'];
		if (imagePrice === null) fieldErrors.image_price = ['price_format'];
		if (minCharge === null) fieldErrors.min_charge = ['price_format'];
		if (Object.keys(fieldErrors).length > 0) {
			// Report the other fields' problems in the same answer, as the procedure would.
			const rest = modelPriceInput.safeParse({ model: values.model, provider: values.provider, display_name: values.display_name || undefined, input_price: 0, output_price: 0 });
			for (const issue of rest.success ? [] : rest.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
		}
		const caller = serverCaller(event);
		if (Object.keys(fieldErrors).length === 0 && inputPrice !== null && outputPrice !== null && form.get('confirm_far') !== 'on') {
			const current = (await caller.admin.models()).find((m) => m.model === values.model.trim());
			if (current && (isFarFrom(inputPrice, current.input_price) || isFarFrom(outputPrice, current.output_price))) {
				fieldErrors.confirm_far = ['confirm_far_price'];
			}
		}
		if (Object.keys(fieldErrors).length > 0) return fail(400, { message: 'invalid_input', fieldErrors, values });
		const result = await formCall(
			() =>
				caller.admin.setModelPrice({
					model: values.model,
					provider: values.provider,
					display_name: values.display_name || undefined,
					input_price: inputPrice!,
					output_price: outputPrice!,
					image_price: imagePrice ?? undefined,
					min_charge: minCharge ?? undefined,
					type,
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
