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
import { cancelOrder, createOrder, expireStaleOrders, listOrders, orderForViewer } from '../../recharge/orders';
import { enabledMethods } from '../../recharge/providers/registry';
import { choosePayer, payerOptions } from '../../usage/payer-chain';
import { loadRechargeSettings } from '../../recharge/settings';
import { tierStates, usedTiers } from '../../recharge/tiers';
import { orderOutput, orderView, settingsOutput, settingsView } from '../../recharge/api-shapes';
import { authedProcedure, router, scopedProcedure } from '../init';
import { rechargeAdminRouter } from './recharge-admin';
import { creditsToUnits } from '$lib/money';

const units = (credits: number) => creditsToUnits(credits, config().CREDITS_PER_UNIT);

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

/** The enterprise that would pay this user's next request now, if any (else their own wallet pays). */
async function enterprisePayingNow(db: DbOrTx, userId: number): Promise<{ groupId: number; name: string } | null> {
	const options = (await payerOptions(db, [userId], new Date())).get(userId) ?? [];
	const balances = new Map<number, number>();
	for (const o of options) if (o.groupId !== null) balances.set(o.walletId, await walletBalance(db, o.walletId));
	const payer = options.length > 0 ? choosePayer(options, 1, (id) => balances.get(id) ?? 0) : null;
	if (!payer || payer.groupId === null) return null;
	const [group] = await db.select({ name: groups.name }).from(groups).where(eq(groups.id, payer.groupId));
	return { groupId: payer.groupId, name: group?.name ?? '' };
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
			payerNow: !target && balance < 0 ? await enterprisePayingNow(ctx.db, ctx.user.id) : null,
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
		.output(
			orderOutput.extend({
				balance_credits: z.number().int().nullable().describe("the paying-into wallet's balance now (your own orders only)"),
				group_name: z.string().nullable().describe('the enterprise whose wallet the order tops up; null: a personal wallet')
			})
		)
		.query(async ({ ctx, input }) => {
			const order = await orderForViewer(ctx.db, ctx.user, input.id);
			const balance = order.userId === ctx.user.id ? await walletBalance(ctx.db, order.walletId) : null;
			const view = orderView(order);
			const [group] = view.group_id === null ? [] : await ctx.db.select({ name: groups.name }).from(groups).where(eq(groups.id, view.group_id));
			return { ...view, balance_credits: balance, group_name: group?.name ?? null };
		}),

	cancelOrder: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/recharge/orders/{id}/cancel', tags: ['recharge'], summary: 'Give up one of your pending orders (a payment that still arrives is credited as late)' } })
		.input(orderIdInput)
		.output(orderOutput)
		.mutation(async ({ ctx, input }) => orderView(await cancelOrder(ctx.db, ctx.user, input.id))),

	orders: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/recharge/orders', tags: ['recharge'], summary: 'Your recharge history (admins with all=true: every order, searchable)' } })
		.input(listOrdersInput)
		.output(z.array(orderOutput))
		.query(async ({ ctx, input }) => {
			await expireStaleOrders(ctx.db);
			let walletId: number | undefined;
			if (input.group_id !== undefined) {
				const [group] = await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.id, input.group_id));
				if (!group) throw new TRPCError({ code: 'NOT_FOUND', message: 'group_not_found' });
				if (!(await canAdministerGroup(ctx.db, ctx.user, group.id))) throw new TRPCError({ code: 'FORBIDDEN', message: 'not_group_admin' });
				walletId = await groupWalletId(ctx.db, group.id);
			} else if (input.personal) {
				walletId = await userWalletId(ctx.db, ctx.user.id);
			}
			const rows = await listOrders(ctx.db, ctx.user, { ...input, walletId, userId: input.user_id });
			return rows.map((r) => orderView(r.order, ctx.user.role === 'admin' ? r.email : undefined));
		}),

	admin: rechargeAdminRouter
});
