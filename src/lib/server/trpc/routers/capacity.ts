import { z } from 'zod';
import { featuredModelsInput } from '$lib/schemas/external';
import { config } from '../../config';
import { balanceCapacity, loadFeaturedModels, saveFeaturedModels, type BalanceCapacity } from '../../usage/capacity';
import { adminProcedure, router, scopedProcedure } from '../init';

const tokens = z.number().int().nullable().describe('null when that side of the price is 0 (free)');

export const capacityOut = z.object({
	available_credits: z.number().int(),
	credits_per_unit: z.number().int(),
	currency: z.string(),
	spend_7d: z.number().int().describe('Credits spent from this wallet over the last 7 UTC days'),
	runway_days: z.number().int().nullable().describe('Whole days the balance lasts at the last 7 days’ average; null without spending'),
	models_available: z.number().int(),
	models_unpriced: z.number().int().describe('Active models left out because they have no price'),
	models: z.array(
		z.object({
			model: z.string(),
			display_name: z.string(),
			featured: z.boolean(),
			input_price: z.number().int(),
			output_price: z.number().int(),
			input_tokens: tokens,
			output_tokens: tokens,
			mixed_tokens: tokens,
			mix: z.object({ input: z.number().int(), output: z.number().int(), from_history: z.boolean() })
		})
	)
});

export function toCapacityOutput(c: BalanceCapacity): z.infer<typeof capacityOut> {
	const cfg = config();
	return {
		available_credits: c.available,
		credits_per_unit: cfg.CREDITS_PER_UNIT,
		currency: cfg.CURRENCY,
		spend_7d: c.spend7d,
		runway_days: c.runwayDays,
		models_available: c.modelsAvailable,
		models_unpriced: c.modelsUnpriced,
		models: c.models.map((m) => ({
			model: m.model,
			display_name: m.displayName,
			featured: m.featured,
			input_price: m.inputPrice,
			output_price: m.outputPrice,
			input_tokens: m.inputTokens,
			output_tokens: m.outputTokens,
			mixed_tokens: m.mixedTokens,
			mix: { input: m.mix.input, output: m.mix.output, from_history: m.mix.fromHistory }
		}))
	};
}

export const capacityRouter = router({
	mine: scopedProcedure('usage:read')
		.meta({
			openapi: {
				method: 'GET',
				path: '/wallet/capacity',
				tags: ['usage'],
				summary: 'What your available balance buys per priced model (input, output, your own mix or 3:1) and how many days it lasts at your 7-day pace'
			}
		})
		.input(z.void())
		.output(capacityOut)
		.query(async ({ ctx }) => toCapacityOutput(await balanceCapacity(ctx.db, ctx.user.id))),

	featured: adminProcedure
		.input(z.void())
		.output(z.array(z.string()))
		.query(({ ctx }) => loadFeaturedModels(ctx.db)),

	setFeatured: adminProcedure
		.input(featuredModelsInput)
		.output(z.array(z.string()))
		.mutation(({ ctx, input }) => saveFeaturedModels(ctx.db, input.models, ctx.user.id))
});
