import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { rechargeSettingsInput, refundInput } from '$lib/schemas/recharge';
import { unitsToCredits } from '$lib/money';
import { config } from '../../config';
import { paymentEvents } from '../../db/schema';
import { listOrders } from '../../recharge/orders';
import { refundOrder } from '../../recharge/refund';
import { loadRechargeSettings, rechargeSettingsSchema, saveRechargeSettings } from '../../recharge/settings';
import { orderOutput, orderView, settingsOutput, settingsView } from '../../recharge/api-shapes';
import { adminProcedure, router } from '../init';

function credits(units: string): number {
	const value = unitsToCredits(units, config().CREDITS_PER_UNIT);
	if (value === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_format' });
	return value;
}

export const rechargeAdminRouter = router({
	settings: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/settings', tags: ['recharge admin'], summary: 'Recharge tiers, bonus rate and cap, custom range' } })
		.input(z.void())
		.output(settingsOutput)
		.query(async ({ ctx }) => settingsView(await loadRechargeSettings(ctx.db))),

	updateSettings: adminProcedure
		.meta({ openapi: { method: 'PUT', path: '/admin/recharge/settings', tags: ['recharge admin'], summary: 'Replace the recharge settings' } })
		.input(rechargeSettingsInput)
		.output(settingsOutput)
		.mutation(async ({ ctx, input }) => {
			const parsed = rechargeSettingsSchema.safeParse({
				tiers: input.tiers.map(credits),
				bonusRateBp: input.bonus_rate_bp,
				bonusCapCredits: credits(input.bonus_cap),
				enabled: input.enabled,
				customMinCredits: credits(input.custom_min),
				customMaxCredits: credits(input.custom_max),
				orderTtlMinutes: input.order_ttl_minutes
			});
			if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'invalid_settings' });
			return settingsView(await saveRechargeSettings(ctx.db, parsed.data, ctx.user.id));
		}),

	refund: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/recharge/orders/{id}/refund', tags: ['recharge admin'], summary: 'Refund a paid order (reverses amount and bonus)' } })
		.input(refundInput)
		.output(orderOutput)
		.mutation(async ({ ctx, input }) => orderView(await refundOrder(ctx.db, ctx.user.id, input.id, input.restore_eligibility, input.reason))),

	lateOrders: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/orders/late', tags: ['recharge admin'], summary: 'Orders paid after they expired' } })
		.input(z.void())
		.output(z.array(orderOutput))
		.query(async ({ ctx }) => {
			const rows = await listOrders(ctx.db, ctx.user, { all: true, lateOnly: true, limit: 200 });
			return rows.map((r) => orderView(r.order, r.email));
		}),

	paymentEvents: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/payment-events', tags: ['recharge admin'], summary: 'Refused payment callbacks' } })
		.input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
		.output(z.array(z.object({ id: z.number().int(), provider: z.string(), order_id: z.string().nullable(), outcome: z.string(), detail: z.string().nullable(), created_at: z.date() })))
		.query(async ({ ctx, input }) => {
			const rows = await ctx.db.select().from(paymentEvents).orderBy(desc(paymentEvents.id)).limit(input.limit);
			return rows.map((e) => ({ id: e.id, provider: e.provider, order_id: e.orderPublicId, outcome: e.outcome, detail: e.detail, created_at: e.createdAt }));
		})
});
