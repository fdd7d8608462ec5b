import { z } from 'zod';
import { modelActiveInput, modelIdInput, modelPriceInput } from '$lib/schemas/metering';
import { listModels, priceHistory, setModelActive, setModelPrice } from '../../../usage/models';
import { modelOutput, modelToOutput } from '../../../usage/model-shapes';
import { adminProcedure } from '../../init';

const priceRowOutput = z.object({ id: z.number().int(), input_price: z.number().int(), output_price: z.number().int(), effective_from: z.date(), created_at: z.date() });

/** Models and their effective-dated prices (REST path unchanged: POST /admin/models). */
export const modelProcedures = {
	models: adminProcedure
		.input(z.void())
		.output(z.array(modelOutput))
		.query(async ({ ctx }) => (await listModels(ctx.db, { includeInactive: true })).map(modelToOutput)),

	setModelPrice: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/models', tags: ['admin'], summary: 'Create a model or add a new price row (credits per 1M tokens); history is never rewritten' } })
		.input(modelPriceInput)
		.output(z.object({ model_id: z.number().int(), price_id: z.number().int(), created: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const { model, price, created } = await setModelPrice(ctx.db, {
				code: input.model,
				provider: input.provider,
				displayName: input.display_name,
				inputPrice: input.input_price,
				outputPrice: input.output_price,
				imagePrice: input.image_price,
				minCharge: input.min_charge,
				type: input.type,
				effectiveFrom: input.effective_from,
				actorUserId: ctx.user.id
			});
			return { model_id: model.id, price_id: price.id, created };
		}),

	priceHistory: adminProcedure
		.input(modelIdInput)
		.output(z.object({ model_id: z.number().int(), model: z.string(), prices: z.array(priceRowOutput) }))
		.query(async ({ ctx, input }) => {
			const { model, prices } = await priceHistory(ctx.db, input.model_id);
			return {
				model_id: model.id,
				model: model.code,
				prices: prices.map((p) => ({ id: p.id, input_price: p.inputPrice, output_price: p.outputPrice, effective_from: p.effectiveFrom, created_at: p.createdAt }))
			};
		}),

	setModelActive: adminProcedure
		.input(modelActiveInput)
		.output(z.object({ model_id: z.number().int(), active: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const row = await setModelActive(ctx.db, input.model_id, input.active);
			return { model_id: row.id, active: row.active };
		})
};
