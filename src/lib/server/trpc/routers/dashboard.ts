import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
	findUsersInput,
	platformInput,
	userIdInput,
	usageCsvInput,
	usageRecordsInput,
	walletHistoryInput
} from '$lib/schemas/dashboard';
import { config } from '../../config';
import { users, wallets } from '../../db/schema';
import { canAdministerGroup } from '../../groups/access';
import { CSV_ROW_CAP, usageCsv } from '../../usage/csv';
import {
	dailyByModel,
	lastDays,
	modelTotals,
	sumAmounts,
	thisMonth,
	topUsers,
	usageTotals,
	usedModels,
	userDailyByModelIn,
	type UsageAmounts
} from '../../usage/reports';
import { utcDay } from '../../calendar';
import { searchUsers } from '../../auth/user-directory';
import { usageLogPage, usageLogTotals, type UsageLogRow } from '../../usage/usage-log';
import { walletHistory } from '../../usage/wallet-history';
import { fundsOf } from '../../ledger/holds';
import { adminProcedure, router, scopedProcedure } from '../init';
import type { Context } from '../context';
import type { SessionUser } from '../../auth/identity';

const amountsOut = z.object({
	requests: z.number().int(),
	input_tokens: z.number().int(),
	output_tokens: z.number().int(),
	cost: z.number().int()
});

const recordOut = z.object({
	id: z.number().int(),
	request_id: z.string(),
	occurred_at: z.date(),
	model: z.string(),
	input_tokens: z.number().int(),
	output_tokens: z.number().int(),
	images: z.number().int(),
	cost: z.number().int(),
	subscription_used: z.number().int().describe('credits of the cost covered by plan allowances and grants'),
	regular_used: z.number().int().describe('credits of the cost paid from the balance'),
	paid_by: z.object({ type: z.enum(['personal', 'group']), group_id: z.number().int().nullable(), group_name: z.string().nullable() })
});

const entryOut = z.object({
	id: z.number().int(),
	kind: z.string(),
	amount: z.number().int(),
	balance_after: z.number().int(),
	reference: z.string().nullable(),
	memo: z.string().nullable(),
	actor_name: z.string().nullable(),
	created_at: z.date()
});

const dailyOut = amountsOut.extend({ day: z.string(), model: z.string() });
const modelOut = amountsOut.extend({ model: z.string() });
const moneyOut = z.object({ credits_per_unit: z.number().int(), currency: z.string() });
const rangeOut = z.object({ from: z.string(), to: z.string() });
const personOut = z.object({ id: z.number().int(), name: z.string(), email: z.string() });

function toAmounts(a: UsageAmounts) {
	return { requests: a.requests, input_tokens: a.inputTokens, output_tokens: a.outputTokens, cost: a.cost };
}

function toRecord(r: UsageLogRow) {
	return {
		id: r.id,
		request_id: r.requestId,
		occurred_at: r.occurredAt,
		model: r.model,
		input_tokens: r.inputTokens,
		output_tokens: r.outputTokens,
		images: r.images,
		cost: r.cost,
		subscription_used: r.subscriptionUsed,
		regular_used: r.regularUsed,
		paid_by: { type: r.payerGroupId === null ? ('personal' as const) : ('group' as const), group_id: r.payerGroupId, group_name: r.payerGroupName }
	};
}

function money() {
	const cfg = config();
	return { credits_per_unit: cfg.CREDITS_PER_UNIT, currency: cfg.CURRENCY };
}

/** The user whose data is read: the caller, or for a platform admin any user. */
async function targetUser(ctx: Context & { user: SessionUser }, userId: number | undefined) {
	if (userId === undefined || userId === ctx.user.id) return { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email };
	if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'not_your_data' });
	const [row] = await ctx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
	if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
	return row;
}

async function walletOf(ctx: Context, owner: { userId?: number; groupId?: number }) {
	const where = owner.groupId !== undefined ? eq(wallets.groupId, owner.groupId) : eq(wallets.userId, owner.userId!);
	const [row] = await ctx.db.select({ id: wallets.id, balance: wallets.balance, alertThreshold: wallets.alertThreshold }).from(wallets).where(where);
	if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: owner.groupId !== undefined ? 'group_not_found' : 'user_not_found' });
	return row;
}

/** The payer filter: the user's own wallet, or one enterprise. */
const payerOf = (input: { personal_only?: boolean; payer_group_id?: number }) =>
	input.payer_group_id ?? (input.personal_only ? ('personal' as const) : undefined);

export const dashboardRouter = router({
	/** Everything the token-balance page shows for one user, in one call. */
	overview: scopedProcedure('usage:read')
		.input(userIdInput)
		.output(
			z.object({
				user: personOut,
				money: moneyOut,
				balance: z.number().int(),
				in_arrears: z.boolean(),
				low_balance: z.boolean(),
				low_balance_threshold: z.number().int().describe('the wallet’s low-balance alert threshold (credits; 0 = off)'),
				held: z.number().int(),
				available: z.number().int(),
				today: amountsOut,
				month: amountsOut,
				all_time: amountsOut,
				range: rangeOut,
				time_zone: z.string().describe('IANA zone that `range`, `daily` and `today` count days in'),
				daily: z.array(dailyOut),
				top_models: z.array(modelOut),
				recent: z.array(recordOut)
			})
		)
		.query(async ({ ctx, input }) => {
			const user = await targetUser(ctx, input.user_id);
			const wallet = await walletOf(ctx, { userId: user.id });
			const scope = { userId: user.id };
			const now = new Date();
			const timeZone = ctx.timeZone ?? config().BILLING_TIMEZONE;
			const range = lastDays(30, now, timeZone);
			const funds = (await fundsOf(ctx.db, [wallet.id], now)).get(wallet.id);
			const [daily, top, month, allTime, recent] = await Promise.all([
				userDailyByModelIn(ctx.db, user.id, range, timeZone),
				modelTotals(ctx.db, scope, thisMonth(now), 5),
				usageTotals(ctx.db, scope, thisMonth(now)),
				usageTotals(ctx.db, scope, null),
				usageLogPage(ctx.db, { userId: user.id }, { limit: 10 })
			]);
			// The wallet's own low-balance alert threshold (it follows LOW_BALANCE_CREDITS unless its owner set one; 0 = off).
			const threshold = wallet.alertThreshold;
			return {
				user,
				money: money(),
				balance: wallet.balance,
				in_arrears: wallet.balance < 0,
				low_balance: threshold > 0 && wallet.balance >= 0 && wallet.balance < threshold,
				low_balance_threshold: threshold,
				held: funds?.held ?? 0,
				available: funds?.available ?? wallet.balance,
				today: toAmounts(sumAmounts(daily.filter((d) => d.day === range.to))),
				month: toAmounts(month),
				all_time: toAmounts(allTime),
				range,
				time_zone: timeZone,
				daily: daily.map((d) => ({ day: d.day, model: d.model, ...toAmounts(d) })),
				top_models: top.map((m) => ({ model: m.model, ...toAmounts(m) })),
				recent: recent.rows.map(toRecord)
			};
		}),

	records: scopedProcedure('usage:read')
		.meta({
			openapi: {
				method: 'GET',
				path: '/usage/records',
				tags: ['usage'],
				summary: 'Usage records, newest first, and their totals; filter by UTC days, model, payer and API key; page with `after` = next_cursor'
			}
		})
		.input(usageRecordsInput)
		.output(
			z.object({
				user_id: z.number().int(),
				records: z.array(recordOut),
				next_cursor: z.number().int().nullable(),
				totals: amountsOut.describe('every record matching the filters, not only this page')
			})
		)
		.query(async ({ ctx, input }) => {
			const user = await targetUser(ctx, input.user_id);
			const filter = { userId: user.id, from: input.from, to: input.to, model: input.model, payer: payerOf(input), apiKeyId: input.api_key_id };
			const [page, totals] = await Promise.all([usageLogPage(ctx.db, filter, { after: input.after, limit: input.limit }), usageLogTotals(ctx.db, filter)]);
			return { user_id: user.id, records: page.rows.map(toRecord), next_cursor: page.nextCursor, totals };
		}),

	usedModels: scopedProcedure('usage:read')
		.input(userIdInput)
		.output(z.array(z.string()))
		.query(async ({ ctx, input }) => usedModels(ctx.db, (await targetUser(ctx, input.user_id)).id)),

	exportCsv: scopedProcedure('usage:read')
		.input(usageCsvInput)
		.output(z.object({ filename: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() }))
		.query(async ({ ctx, input }) => {
			const user = await targetUser(ctx, input.user_id);
			const cfg = config();
			const result = await usageCsv(
				ctx.db,
				{ userId: user.id, from: input.from, to: input.to, model: input.model, payer: payerOf(input), apiKeyId: input.api_key_id },
				{ creditsPerUnit: cfg.CREDITS_PER_UNIT, currency: cfg.CURRENCY },
				CSV_ROW_CAP,
				input.header,
				input.personal_label
			);
			return { filename: `usage-${input.from ?? 'start'}_to_${input.to ?? utcDay(new Date())}.csv`, ...result };
		}),

	walletHistory: scopedProcedure('usage:read')
		.meta({
			openapi: {
				method: 'GET',
				path: '/wallet/entries',
				tags: ['usage'],
				summary: "A wallet's ledger entries, newest first (own wallet; group_id for an enterprise you administer)"
			}
		})
		.input(walletHistoryInput)
		.output(
			z.object({
				wallet_id: z.number().int(),
				balance: z.number().int(),
				money: moneyOut,
				entries: z.array(entryOut),
				next_cursor: z.number().int().nullable()
			})
		)
		.query(async ({ ctx, input }) => {
			if (input.user_id !== undefined && input.group_id !== undefined) {
				throw new TRPCError({ code: 'BAD_REQUEST', message: 'user_or_group' });
			}
			let wallet;
			if (input.group_id !== undefined) {
				if (!(await canAdministerGroup(ctx.db, ctx.user, input.group_id))) {
					throw new TRPCError({ code: 'FORBIDDEN', message: 'not_your_data' });
				}
				wallet = await walletOf(ctx, { groupId: input.group_id });
			} else {
				wallet = await walletOf(ctx, { userId: (await targetUser(ctx, input.user_id)).id });
			}
			const page = await walletHistory(ctx.db, wallet.id, { before: input.before, limit: input.limit });
			return {
				wallet_id: wallet.id,
				balance: wallet.balance,
				money: money(),
				entries: page.rows.map((e) => ({
					id: e.id,
					kind: e.kind,
					amount: e.amount,
					balance_after: e.balanceAfter,
					reference: e.reference,
					memo: e.memo,
					actor_name: e.actorName,
					created_at: e.createdAt
				})),
				next_cursor: page.nextCursor
			};
		}),

	/** Platform totals per day and per model, and the heaviest users (admins only). */
	platform: adminProcedure
		.input(platformInput)
		.output(
			z.object({
				money: moneyOut,
				range: rangeOut,
				totals: amountsOut,
				daily: z.array(dailyOut),
				models: z.array(modelOut),
				top_users: z.array(amountsOut.extend({ user_id: z.number().int(), name: z.string(), email: z.string() }))
			})
		)
		.query(async ({ ctx, input }) => {
			const range = lastDays(input.days);
			const platform = { userId: null };
			const [totals, daily, models, heaviest] = await Promise.all([
				usageTotals(ctx.db, platform, range),
				dailyByModel(ctx.db, platform, range),
				modelTotals(ctx.db, platform, range, 50),
				topUsers(ctx.db, range, 20)
			]);
			return {
				money: money(),
				range,
				totals: toAmounts(totals),
				daily: daily.map((d) => ({ day: d.day, model: d.model, ...toAmounts(d) })),
				models: models.map((m) => ({ model: m.model, ...toAmounts(m) })),
				top_users: heaviest.map((u) => ({ user_id: u.userId, name: u.name, email: u.email, ...toAmounts(u) }))
			};
		}),

	findUsers: adminProcedure
		.input(findUsersInput)
		.output(z.array(personOut))
		.query(async ({ ctx, input }) => (await searchUsers(ctx.db, input.q, 20)).map((u) => ({ id: u.id, name: u.name, email: u.email })))
});
