import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { config } from '../../config';
import { priceList, priceListIsPublic, setPriceListPublic, type PriceRow } from '../../usage/price-list';
import { adminProcedure, publicProcedure, router } from '../init';

const priceOut = z.object({
	input_price: z.number().int().describe('Credits per 1,000,000 input tokens'),
	output_price: z.number().int().describe('Credits per 1,000,000 output tokens'),
	image_price: z.number().int().nullable().describe('Credits per image; null when the model has no image price'),
	effective_from: z.date()
});

const priceListOut = z.object({
	currency: z.string(),
	credits_per_unit: z.number().int(),
	models: z.array(
		z.object({
			model: z.string(),
			display_name: z.string(),
			provider: z.string(),
			price: priceOut.nullable().describe('In force now; null when the model has no price yet'),
			next: priceOut.nullable().describe('The next scheduled price change, if any')
		})
	)
});

const price = (p: PriceRow | null) =>
	p && { input_price: p.inputPrice, output_price: p.outputPrice, image_price: p.imagePrice, effective_from: p.effectiveFrom };

export const pricesRouter = router({
	/** Signed-in accounts and any valid key; visitors too when an admin allows it. */
	list: publicProcedure
		.meta({ openapi: { method: 'GET', path: '/prices', tags: ['prices'], summary: 'Price of every active model, with scheduled changes' } })
		.input(z.void())
		.output(priceListOut)
		.query(async ({ ctx }) => {
			if (!ctx.user && !(await priceListIsPublic(ctx.db))) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send a valid API key' });
			const rows = await priceList(ctx.db);
			return {
				currency: config().CURRENCY,
				credits_per_unit: config().CREDITS_PER_UNIT,
				models: rows.map((r) => ({ model: r.code, display_name: r.displayName, provider: r.provider, price: price(r.current), next: price(r.next) }))
			};
		}),

	visibility: adminProcedure
		.input(z.void())
		.output(z.object({ visitors: z.boolean() }))
		.query(async ({ ctx }) => ({ visitors: await priceListIsPublic(ctx.db) })),

	setVisibility: adminProcedure
		.input(z.object({ visitors: z.boolean() }))
		.output(z.object({ visitors: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			await setPriceListPublic(ctx.db, input.visitors, ctx.user.id);
			return { visitors: input.visitors };
		})
});
