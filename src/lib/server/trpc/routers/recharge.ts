import { z } from 'zod';
import { createOrderInput, listOrdersInput, orderIdInput } from '$lib/schemas/recharge';
import { rowId } from '$lib/schemas/fields';
import { unitsToCredits } from '$lib/money';
import { TRPCError } from '@trpc/server';
import { config } from '../../config';
import { eq } from 'drizzle-orm';
import { groupAdmins, groups } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { canAdministerGroup } from '../../groups/access';
import { groupWalletId, userWalletId, walletBalance } from '../../ledger/wallets';
import { createOrder, expireStaleOrders, listOrders, orderForViewer } from '../../recharge/orders';
import { enabledMethods } from '../../recharge/providers/registry';
import { loadRechargeSettings } from '../../recharge/settings';
import { tierStates, usedTiers } from '../../recharge/tiers';
import { orderOutput, orderView, settingsOutput, settingsView } from '../../recharge/views';
import { authedProcedure, router, scopedProcedure } from '../init';
import { rechargeAdminRouter } from './recharge-admin';

const units = (credits: number) => credits / config().CREDITS_PER_UNIT;

const rechargePageInput = z.object({ group_id: rowId.optional() }).optional();

/** Enterprises whose wallet this user may top up (the ones they administer). */
async function fundableGroups(db: DbOrTx, userId: number) {
	return db
		.select({ id: groups.id, name: groups.name })
		.from(groupAdmins)
		.innerJoin(groups, eq(groups.id, groupAdmins.groupId))
		.where(eq(groupAdmins.userId, userId))
		.orderBy(groups.id);
}

export const rechargeRouter = router({
	tiersEligibility: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/first-recharge-bonus/eligibility/tiers', tags: ['recharge'], summary: "The caller's first-recharge bonus eligibility per preset tier" } })
		.input(z.void())
		.output(
			z.object({
				enabled: z.boolean(),
				tiers: z.array(z.object({ tier_amount: z.number().describe('currency units'), eligible: z.boolean(), bonus_amount: z.number().describe('currency units') }))
			})
		)
		.query(async ({ ctx }) => {
			const s = await loadRechargeSettings(ctx.db);
			const states = tierStates(s, await usedTiers(ctx.db, ctx.user.id));
			return {
				enabled: s.enabled,
				tiers: states.map((t) => ({ tier_amount: units(t.tierCredits), eligible: t.eligible, bonus_amount: units(t.bonusCredits) }))
			};
		}),

	eligibility: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/first-recharge-bonus/eligibility', tags: ['recharge'], summary: 'Whether the caller has used any first-recharge bonus, plus the promotion config' } })
		.input(z.void())
		.output(
			z.object({
				enabled: z.boolean(),
				has_participated: z.boolean().describe('any bonus log row, legacy rows included'),
				eligible: z.boolean().describe('promotion on and at least one preset tier still unused'),
				used_tiers: z.array(z.number()).describe('currency units'),
				config: settingsOutput
			})
		)
		.query(async ({ ctx }) => {
			const s = await loadRechargeSettings(ctx.db);
			const used = await usedTiers(ctx.db, ctx.user.id);
			return {
				enabled: s.enabled,
				has_participated: used.length > 0,
				eligible: tierStates(s, used).some((t) => t.eligible),
				used_tiers: used.map(units),
				config: settingsView(s)
			};
		}),

	/** Everything the recharge page shows, in one round trip (not an HTTP route). */
	page: authedProcedure.input(rechargePageInput).query(async ({ ctx, input }) => {
		const s = await loadRechargeSettings(ctx.db);
		const used = await usedTiers(ctx.db, ctx.user.id);
		const fundable = await fundableGroups(ctx.db, ctx.user.id);
		let target: { groupId: number; name: string } | null = null;
		if (input?.group_id) {
			const [group] = await ctx.db.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.id, input.group_id));
			if (!group) throw new TRPCError({ code: 'NOT_FOUND', message: 'group_not_found' });
			if (!(await canAdministerGroup(ctx.db, ctx.user, group.id))) throw new TRPCError({ code: 'FORBIDDEN', message: 'not_group_admin' });
			target = { groupId: group.id, name: group.name };
		}
		// Enterprise wallets get no first-recharge bonus, so no tier shows a tag there.
		const tiers = tierStates(s, used).map((tier) => (target ? { ...tier, eligible: false } : tier));
		const walletId = target ? await groupWalletId(ctx.db, target.groupId) : await userWalletId(ctx.db, ctx.user.id);
		const balance = await walletBalance(ctx.db, walletId);
		return {
			target,
			fundable,
			settings: settingsView(s),
			settingsCredits: s,
			tiers,
			methods: await enabledMethods(ctx.db),
			balanceCredits: balance,
			debug:
				ctx.user.role === 'admin'
					? {
							configLoaded: true,
							promotionEnabled: s.enabled,
							userEligible: tiers.some((t) => t.eligible),
							bannerShown: s.enabled && tiers.some((t) => t.eligible),
							usedTierCredits: used
						}
					: null
		};
	}),

	createOrder: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/recharge/orders', tags: ['recharge'], summary: 'Create a recharge order and get its checkout URL' } })
		.input(createOrderInput)
		.output(orderOutput)
		.mutation(async ({ ctx, input }) => {
			const amountCredits = unitsToCredits(input.amount, config().CREDITS_PER_UNIT);
			if (amountCredits === null || amountCredits <= 0) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_format' });
			const order = await createOrder(ctx.db, ctx.user, { amountCredits, method: input.method, groupId: input.group_id });
			return orderView(order);
		}),

	order: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/recharge/orders/{id}', tags: ['recharge'], summary: 'One of your orders (admins: any order)' } })
		.input(orderIdInput)
		.output(orderOutput.extend({ balance_credits: z.number().int().nullable() }))
		.query(async ({ ctx, input }) => {
			const order = await orderForViewer(ctx.db, ctx.user, input.id);
			const balance = order.userId === ctx.user.id ? await walletBalance(ctx.db, order.walletId) : null;
			return { ...orderView(order), balance_credits: balance };
		}),

	orders: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/recharge/orders', tags: ['recharge'], summary: 'Your recharge history (admins with all=true: every order, searchable)' } })
		.input(listOrdersInput)
		.output(z.array(orderOutput))
		.query(async ({ ctx, input }) => {
			await expireStaleOrders(ctx.db);
			const rows = await listOrders(ctx.db, ctx.user, { ...input, userId: input.user_id });
			return rows.map((r) => orderView(r.order, ctx.user.role === 'admin' ? r.email : undefined));
		}),

	admin: rechargeAdminRouter
});
