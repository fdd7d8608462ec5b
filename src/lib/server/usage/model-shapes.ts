import { z } from 'zod';
import type { listModels } from './models';

/** A model and the price in force, as the API answers it (GET /models, the admin models page). */
export const modelOutput = z.object({
	id: z.number().int(),
	model: z.string(),
	provider: z.string(),
	display_name: z.string(),
	type: z.enum(['text', 'image']),
	active: z.boolean(),
	input_price: z.number().int().nullable(),
	output_price: z.number().int().nullable(),
	image_price: z.number().int().nullable().describe('credits per image; null = images not billed'),
	min_charge: z.number().int().describe('the least one request costs, in credits'),
	effective_from: z.date().nullable(),
	next_effective_from: z.date().nullable()
});

export function modelToOutput(m: Awaited<ReturnType<typeof listModels>>[number]): z.infer<typeof modelOutput> {
	return {
		id: m.id,
		model: m.code,
		provider: m.provider,
		display_name: m.displayName,
		type: m.type,
		active: m.active,
		input_price: m.inputPrice,
		output_price: m.outputPrice,
		image_price: m.imagePrice,
		min_charge: m.minCharge,
		effective_from: m.effectiveFrom,
		next_effective_from: m.nextEffectiveFrom
	};
}
