import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { externalUserInput, logsInput, statsInput, syncInput, tokenInput, topupInput } from '$lib/schemas/external';
import { loginTypes } from '../../db/schema';
import { config } from '../../config';
import { AmountNotConvertibleError, externalTopup, PaymentIdConflictError } from '../../external/topup';
import { createExternalUserKey, ExternalUserNotFoundError, requireExternalUser, syncExternalUser, type ExternalUser } from '../../external/users';
import { availableBalance, balanceCapacity } from '../../usage/capacity';
import { dailyByModel, lastDays, modelTotals, usageTotals, type UsageAmounts } from '../../usage/reports';
import { usageLogPage } from '../../usage/usage-log';
import { router, scopedProcedure } from '../init';
import { capacityOut, toCapacityOutput } from './capacity';

/**
 * `/api/user/external/...`: a platform's server manages the users it signs in itself, by its own
 * id. Every procedure needs an API key with the `users:sync` scope (or a platform admin).
 */
const platform = scopedProcedure('users:sync', 'admin').use(async ({ next }) => {
	const result = await next();
	if (!result.ok) {
		const cause = result.error.cause;
		if (cause instanceof ExternalUserNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: 'external_user_not_found', cause });
		if (cause instanceof PaymentIdConflictError) throw new TRPCError({ code: 'CONFLICT', message: 'payment_id_conflict', cause });
		if (cause instanceof AmountNotConvertibleError) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_not_convertible', cause });
	}
	return result;
});

const meta = (method: 'GET' | 'POST', path: string, summary: string) => ({ openapi: { method, path: `/user/external${path}` as const, tags: ['external users'], summary } });

const userOut = z.object({
	external_user_id: z.string(),
	user_id: z.number().int(),
	name: z.string(),
	email: z.string().nullable(),
	phone: z.string().nullable(),
	wechat_openid: z.string().nullable(),
	wechat_unionid: z.string().nullable(),
	alipay_userid: z.string().nullable(),
	login_type: z.enum(loginTypes).nullable(),
	external_data: z.record(z.string(), z.unknown()).nullable(),
	created_at: z.date()
});

const amountsOut = z.object({ requests: z.number().int(), input_tokens: z.number().int(), output_tokens: z.number().int(), cost: z.number().int() });

function toUser(u: ExternalUser): z.infer<typeof userOut> {
	return {
		external_user_id: u.externalId ?? '',
		user_id: u.id,
		name: u.name,
		email: u.contactEmail,
		phone: u.phone,
		wechat_openid: u.wechatOpenid,
		wechat_unionid: u.wechatUnionid,
		alipay_userid: u.alipayUserid,
		login_type: u.loginType,
		external_data: (u.externalData as Record<string, unknown> | null) ?? null,
		created_at: u.createdAt
	};
}

function toAmounts(a: UsageAmounts) {
	return { requests: a.requests, input_tokens: a.inputTokens, output_tokens: a.outputTokens, cost: a.cost };
}

/** Credits as US dollars at USD_RATE_CREDITS, rounded down to the cent, as text ("12.34"). */
export function creditsToUsdText(credits: number): string {
	const cents = (BigInt(credits) * 100n) / BigInt(config().USD_RATE_CREDITS);
	const sign = cents < 0n ? '-' : '';
	const abs = cents < 0n ? -cents : cents;
	return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export const externalRouter = router({
	sync: platform
		.meta(meta('POST', '/sync', 'Create or update a platform user by external_user_id; the welcome grant once on creation; a repeat changes nothing'))
		.input(syncInput)
		.output(userOut.extend({ created: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const { user, created } = await syncExternalUser(ctx.db, input);
			return { ...toUser(user), created };
		}),

	topup: platform
		.meta(meta('POST', '/topup', 'Credit a payment in USD (at most two decimals) exactly once per payment_id; a repeat answers the original; another amount or user for that payment_id is 409 payment_id_conflict'))
		.input(topupInput)
		.output(
			z.object({
				order_id: z.string(),
				payment_id: z.string(),
				external_user_id: z.string(),
				amount_usd: z.string(),
				credits: z.number().int(),
				balance_after: z.number().int()
			})
		)
		.mutation(({ ctx, input }) => externalTopup(ctx.db, { externalUserId: input.external_user_id, amountUsd: input.amount_usd, paymentId: input.payment_id })),

	token: platform
		.meta(meta('POST', '/token', 'A new API key for the user (default 365 days); the secret `key` is shown only in this answer'))
		.input(tokenInput)
		.output(z.object({ id: z.number().int(), name: z.string(), prefix: z.string(), key: z.string(), expires_at: z.date().nullable() }))
		.mutation(async ({ ctx, input }) => {
			const key = await createExternalUserKey(ctx.db, input.external_user_id, { name: input.name, expiresInDays: input.expires_in_days });
			return { id: key.id, name: key.name, prefix: key.prefix, key: key.key, expires_at: key.expiresAt };
		}),

	get: platform
		.meta(meta('GET', '/{external_user_id}', 'The user, balance (credits and USD), usage so far, plan'))
		.input(externalUserInput)
		.output(
			userOut.extend({
				balance: z.object({ credits: z.number().int(), usd: z.string() }),
				used: z.object({ credits: z.number().int(), requests: z.number().int() }),
				plan: z.null().describe('Subscription plan; Tally has none yet')
			})
		)
		.query(async ({ ctx, input }) => {
			const user = await requireExternalUser(ctx.db, input.external_user_id);
			const [available, used] = await Promise.all([availableBalance(ctx.db, user.id), usageTotals(ctx.db, { userId: user.id }, null)]);
			return {
				...toUser(user),
				balance: { credits: available, usd: creditsToUsdText(available) },
				used: { credits: used.cost, requests: used.requests },
				plan: null
			};
		}),

	stats: platform
		.meta(meta('GET', '/{external_user_id}/stats', 'Usage totals per UTC day and per model between from and to (inclusive days; default the last 30)'))
		.input(statsInput)
		.output(
			z.object({
				external_user_id: z.string(),
				from: z.string(),
				to: z.string(),
				total: amountsOut,
				days: z.array(amountsOut.extend({ day: z.string() })),
				models: z.array(amountsOut.extend({ model: z.string() }))
			})
		)
		.query(async ({ ctx, input }) => {
			const user = await requireExternalUser(ctx.db, input.external_user_id);
			const fallback = lastDays(30);
			const range = { from: input.from ?? (input.to && input.to < fallback.from ? input.to : fallback.from), to: input.to ?? fallback.to };
			if (range.from > range.to) range.to = range.from;
			const scope = { userId: user.id };
			const [daily, models, total] = await Promise.all([dailyByModel(ctx.db, scope, range), modelTotals(ctx.db, scope, range, 1000), usageTotals(ctx.db, scope, range)]);
			const days = new Map<string, UsageAmounts>();
			for (const d of daily) {
				const sum = days.get(d.day) ?? { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
				days.set(d.day, { requests: sum.requests + d.requests, inputTokens: sum.inputTokens + d.inputTokens, outputTokens: sum.outputTokens + d.outputTokens, cost: sum.cost + d.cost });
			}
			return {
				external_user_id: input.external_user_id,
				...range,
				total: toAmounts(total),
				days: [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, a]) => ({ day, ...toAmounts(a) })),
				models: models.map((m) => ({ model: m.model, ...toAmounts(m) }))
			};
		}),

	logs: platform
		.meta(meta('GET', '/{external_user_id}/logs', 'Usage records newest first; filter by UTC days and model; page with cursor = next_cursor'))
		.input(logsInput)
		.output(
			z.object({
				external_user_id: z.string(),
				records: z.array(
					z.object({
						id: z.number().int(),
						request_id: z.string(),
						occurred_at: z.date(),
						model: z.string(),
						input_tokens: z.number().int(),
						output_tokens: z.number().int(),
						cost: z.number().int()
					})
				),
				next_cursor: z.number().int().nullable()
			})
		)
		.query(async ({ ctx, input }) => {
			const user = await requireExternalUser(ctx.db, input.external_user_id);
			const page = await usageLogPage(ctx.db, { userId: user.id, from: input.from, to: input.to, model: input.model }, { after: input.cursor, limit: input.limit });
			return {
				external_user_id: input.external_user_id,
				records: page.rows.map((r) => ({
					id: r.id,
					request_id: r.requestId,
					occurred_at: r.occurredAt,
					model: r.model,
					input_tokens: r.inputTokens,
					output_tokens: r.outputTokens,
					cost: r.cost
				})),
				next_cursor: page.nextCursor
			};
		}),

	capacity: platform
		.meta(meta('GET', '/{external_user_id}/balance-capacity', 'What the available balance buys per priced model, and how many days it lasts at the last 7 days’ pace'))
		.input(externalUserInput)
		.output(capacityOut.extend({ external_user_id: z.string() }))
		.query(async ({ ctx, input }) => {
			const user = await requireExternalUser(ctx.db, input.external_user_id);
			return { external_user_id: input.external_user_id, ...toCapacityOutput(await balanceCapacity(ctx.db, user.id)) };
		})
});
