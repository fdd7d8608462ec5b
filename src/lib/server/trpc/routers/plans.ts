import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { adminGrantInput, buyPackageInput, listGrantsInput, packageInput, planInput, planUpdateInput, subscribeInput } from '$lib/schemas/plans';
import { adminGrant, listGrants } from '../../plans/admin-grants';
import { createPackage, createPlan, listPackages, listPlans, listSales, listSubscribers, updatePlan, type PackageRow, type PlanRow } from '../../plans/catalog';
import { PLAN_ERROR_STATUS, PlanError } from '../../plans/errors';
import { buyPackage } from '../../plans/packages';
import { cancelSubscription, mySubscriptions, subscribe } from '../../plans/subscriptions';
import { orderOutput, orderView } from '../../recharge/api-shapes';
import { adminProcedure, authedProcedure, router, scopedProcedure } from '../init';

const unit = z.enum(['credits', 'tokens', 'images']);

const planOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	price: z.number().int().describe('credits per month'),
	currency: z.string(),
	period: z.literal('monthly'),
	allowance_credits: z.number().int(),
	allowance_tokens: z.number().int(),
	allowance_images: z.number().int(),
	rollover_cap_percent: z.number().int().nullable(),
	active: z.boolean()
});

const packageOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	unit,
	amount: z.number().int(),
	bonus: z.number().int(),
	price: z.number().int().describe('credits'),
	currency: z.string(),
	validity_days: z.number().int().nullable(),
	active: z.boolean()
});

const subscriptionOutput = z.object({
	id: z.number().int(),
	plan_id: z.number().int(),
	plan_name: z.string(),
	started_at: z.date(),
	paid_through: z.date(),
	cancelled_at: z.date().nullable(),
	period_start: z.date().nullable(),
	period_end: z.date().nullable(),
	resets_at: z.date().nullable().describe('the next reset (the 1st, 00:00 in BILLING_TIMEZONE); null when the paid months end first'),
	allowances: z.array(z.object({ unit, remaining: z.number().int(), original: z.number().int() }))
});

const grantOutput = z.object({
	id: z.number().int(),
	wallet_id: z.number().int(),
	source: z.string(),
	unit,
	original: z.number().int(),
	remaining: z.number().int(),
	expires_at: z.date().nullable(),
	reason: z.string().nullable(),
	created_at: z.date()
});

export function planView(p: PlanRow): z.infer<typeof planOutput> {
	return {
		id: p.id,
		name: p.name,
		price: p.price,
		currency: p.currency,
		period: p.period,
		allowance_credits: p.allowanceCredits,
		allowance_tokens: p.allowanceTokens,
		allowance_images: p.allowanceImages,
		rollover_cap_percent: p.rolloverCapPercent,
		active: p.active
	};
}

export function packageView(p: PackageRow): z.infer<typeof packageOutput> {
	return { id: p.id, name: p.name, unit: p.unit, amount: p.amount, bonus: p.bonus, price: p.price, currency: p.currency, validity_days: p.validityDays, active: p.active };
}

/** Maps the plans module's domain errors to their status, once. */
async function mapped<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof PlanError) throw new TRPCError({ code: PLAN_ERROR_STATUS[err.code], message: err.code });
		throw err;
	}
}

export const plansRouter = router({
	list: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/plans', tags: ['plans'], summary: 'Active plans: monthly price (credits) and allowances per month' } })
		.input(z.void())
		.output(z.array(planOutput))
		.query(async ({ ctx }) => (await listPlans(ctx.db)).map(planView)),

	subscribe: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/plans/{id}/subscribe', tags: ['plans'], summary: 'Create an order for months of a plan and get its checkout URL; expected_price refuses a changed price' } })
		.input(subscribeInput)
		.output(orderOutput)
		.mutation(({ ctx, input }) =>
			mapped(async () => orderView(await subscribe(ctx.db, ctx.user.id, { planId: input.id, method: input.method, months: input.months, expectedPrice: input.expected_price })))
		),

	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/me/subscription', tags: ['plans'], summary: "The caller's active subscriptions: period, reset time and allowance remaining per unit" } })
		.input(z.void())
		.output(z.array(subscriptionOutput))
		.query(async ({ ctx }) =>
			(await mySubscriptions(ctx.db, ctx.user.id)).map((s) => ({
				id: s.id,
				plan_id: s.planId,
				plan_name: s.planName,
				started_at: s.startedAt,
				paid_through: s.paidThrough,
				cancelled_at: s.cancelledAt,
				period_start: s.periodStart,
				period_end: s.periodEnd,
				resets_at: s.resetsAt,
				allowances: s.allowances
			}))
		),

	cancel: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/me/subscription/cancel', tags: ['plans'], summary: 'Stop renewal; the months paid run to their end' } })
		.input(z.object({}))
		.output(z.object({ cancelled: z.number().int() }))
		.mutation(({ ctx }) => mapped(async () => ({ cancelled: (await cancelSubscription(ctx.db, ctx.user.id)).length }))),

	packages: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/packages', tags: ['plans'], summary: 'Packages on sale: amount + bonus of a unit, price (credits), validity' } })
		.input(z.void())
		.output(z.array(packageOutput))
		.query(async ({ ctx }) => (await listPackages(ctx.db)).map(packageView)),

	buyPackage: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/packages/{id}/buy', tags: ['plans'], summary: 'Create an order for a package and get its checkout URL' } })
		.input(buyPackageInput)
		.output(orderOutput)
		.mutation(({ ctx, input }) => mapped(async () => orderView(await buyPackage(ctx.db, ctx.user.id, { packageId: input.id, method: input.method, expectedPrice: input.expected_price })))),

	createPlan: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/plans', tags: ['admin'], summary: 'Create a plan (at least one allowance, price ≥ 0)' } })
		.input(planInput)
		.output(planOutput)
		.mutation(async ({ ctx, input }) => planView(await createPlan(ctx.db, input))),

	updatePlan: adminProcedure
		.meta({ openapi: { method: 'PUT', path: '/admin/plans/{id}', tags: ['admin'], summary: 'Replace a plan; orders already created keep their price' } })
		.input(planUpdateInput)
		.output(planOutput)
		.mutation(({ ctx, input }) => mapped(async () => planView(await updatePlan(ctx.db, input.id, input)))),

	createPackage: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/packages', tags: ['admin'], summary: 'Create a package (bonus at most 10× the amount)' } })
		.input(packageInput)
		.output(packageOutput)
		.mutation(async ({ ctx, input }) => packageView(await createPackage(ctx.db, input))),

	grant: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/grants', tags: ['admin'], summary: 'Grant credits, tokens or images to a user or an enterprise; a retry with the same idempotency_key returns the first grant' } })
		.input(adminGrantInput)
		.output(grantOutput.extend({ duplicate: z.boolean() }))
		.mutation(({ ctx, input }) =>
			mapped(async () => {
				const { grant, duplicate } = await adminGrant(ctx.db, input, ctx.user.id);
				return { ...grantView(grant), duplicate };
			})
		),

	grants: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/grants', tags: ['admin'], summary: "A user's (user_id) or an enterprise's (group_id) grants, newest first; neither: every grant" } })
		.input(listGrantsInput)
		.output(z.array(grantOutput))
		.query(async ({ ctx, input }) => (await listGrants(ctx.db, { userId: input.user_id, groupId: input.group_id })).map((r) => grantView(r.grant))),

	adminPlans: adminProcedure
		.input(z.void())
		.output(z.array(planOutput))
		.query(async ({ ctx }) => (await listPlans(ctx.db, { includeInactive: true })).map(planView)),

	adminPackages: adminProcedure
		.input(z.void())
		.output(z.array(packageOutput))
		.query(async ({ ctx }) => (await listPackages(ctx.db, { includeInactive: true })).map(packageView)),

	subscribers: adminProcedure.input(z.void()).query(async ({ ctx }) =>
		(await listSubscribers(ctx.db)).map((r) => ({
			id: r.subscription.id,
			email: r.email,
			plan: r.plan,
			status: r.subscription.status,
			started_at: r.subscription.startedAt,
			paid_through: r.subscription.paidThrough,
			cancelled_at: r.subscription.cancelledAt
		}))
	),

	sales: adminProcedure.input(z.void()).query(async ({ ctx }) => (await listSales(ctx.db)).map((r) => ({ ...orderView(r.order), user_email: r.email })))
});

function grantView(g: { id: number; walletId: number; source: string; unit: 'credits' | 'tokens' | 'images'; original: number; remaining: number; expiresAt: Date | null; memo: string | null; createdAt: Date }) {
	return { id: g.id, wallet_id: g.walletId, source: g.source, unit: g.unit, original: g.original, remaining: g.remaining, expires_at: g.expiresAt, reason: g.memo, created_at: g.createdAt };
}
