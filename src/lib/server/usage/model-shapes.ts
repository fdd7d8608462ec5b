import { z } from 'zod';
import type { listModels } from './models';

/** A model and the price in force, as the API answers it (GET /models, the admin models page). */
export const modelOutput = z.object({
	id: z.number().int(),
	model: z.string(),
	provider: z.string(),
	display_name: z.string(),
	active: z.boolean(),
	input_price: z.number().int().nullable(),
	output_price: z.number().int().nullable(),
	effective_from: z.date().nullable(),
	next_effective_from: z.date().nullable()
});

export function modelToOutput(m: Awaited<ReturnType<typeof listModels>>[number]): z.infer<typeof modelOutput> {
	return {
		id: m.id,
		model: m.code,
		provider: m.provider,
		display_name: m.displayName,
		active: m.active,
		input_price: m.inputPrice,
		output_price: m.outputPrice,
		effective_from: m.effectiveFrom,
		next_effective_from: m.nextEffectiveFrom
	};
}
