import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { settings, wallets } from '../db/schema';
import { listModels } from './models';
import { TOKENS_PER_PRICE_UNIT } from './price';
import { lastDays } from './reports';
import { addDays } from '../calendar';

/**
 * What a balance buys: per active priced model, the input tokens, output tokens and tokens at
 * the user's own input:output mix (last 30 days of that model, 3:1 without history) the
 * available balance pays for at today's price, and the days it lasts at the last 7 days' pace.
 * Integer credits and BigInt throughout: a count here is one `tokenCost` would charge no more than
 * the balance for.
 */

export const CAPACITY_SETTINGS_KEY = 'capacity';
const featuredSchema = z.object({ featured: z.array(z.string()) });

/** Model codes listed first, in this order (admin setting); the rest follow by code. */
export async function loadFeaturedModels(db: DbOrTx): Promise<string[]> {
	const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CAPACITY_SETTINGS_KEY));
	const parsed = featuredSchema.safeParse(row?.value);
	return parsed.success ? parsed.data.featured : [];
}

export async function saveFeaturedModels(db: DbOrTx, codes: string[], actorUserId: number | null): Promise<string[]> {
	const featured = [...new Set(codes)];
	const value = { featured };
	await db
		.insert(settings)
		.values({ key: CAPACITY_SETTINGS_KEY, value, updatedBy: actorUserId })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actorUserId, updatedAt: sql`now()` } });
	return featured;
}

export const DEFAULT_MIX = { input: 3, output: 1 } as const;
const HISTORY_DAYS = 30;
const PACE_DAYS = 7;

export interface ModelCapacity {
	model: string;
	displayName: string;
	featured: boolean;
	inputPrice: number;
	outputPrice: number;
	/** null when that side is free (price 0): no balance limits it. */
	inputTokens: number | null;
	outputTokens: number | null;
	mixedTokens: number | null;
	mix: { input: number; output: number; fromHistory: boolean };
}

export interface BalanceCapacity {
	available: number;
	spend7d: number;
	/** Whole days until the balance reaches zero at the last 7 days' average; null without spending. */
	runwayDays: number | null;
	modelsAvailable: number;
	/** Active models left out because they have no price in force. */
	modelsUnpriced: number;
	models: ModelCapacity[];
}

function safe(n: bigint): number {
	return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** Tokens of one kind `available` credits pay for: the largest n with ceil(n × price / 1M) ≤ available. */
export function tokensFor(available: number, pricePerMillion: number): number | null {
	if (pricePerMillion === 0) return null;
	return safe((BigInt(available) * TOKENS_PER_PRICE_UNIT) / BigInt(pricePerMillion));
}

/** Tokens at `input:output` that `available` credits pay for (the blended price of that mix). */
export function mixedTokensFor(available: number, inputPrice: number, outputPrice: number, mix: { input: number; output: number }): number | null {
	const input = BigInt(mix.input);
	const output = BigInt(mix.output);
	const weighted = input * BigInt(inputPrice) + output * BigInt(outputPrice);
	if (weighted === 0n) return null;
	return safe((BigInt(available) * TOKENS_PER_PRICE_UNIT * (input + output)) / weighted);
}

export function runwayDays(available: number, spendOverDays: number, days: number): number | null {
	if (spendOverDays <= 0) return null;
	return safe((BigInt(available) * BigInt(days)) / BigInt(spendOverDays));
}

export async function availableBalance(db: DbOrTx, userId: number): Promise<number> {
	const [row] = await db.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.userId, userId));
	return Math.max(0, row?.balance ?? 0);
}

export async function balanceCapacity(db: DbOrTx, userId: number, now = new Date()): Promise<BalanceCapacity> {
	const [available, models, featured] = await Promise.all([availableBalance(db, userId), listModels(db, { at: now }), loadFeaturedModels(db)]);
	const history = lastDays(HISTORY_DAYS, now);
	const pace = lastDays(PACE_DAYS, now);
	const mixes = await db.execute<{ model: string; input_tokens: string; output_tokens: string }>(sql`
		select model, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens
		from usage_daily
		where user_id = ${userId} and day >= ${history.from}::date and day < ${addDays(history.to, 1)}::date
		group by model`);
	const [spent] = await db.execute<{ cost: string }>(sql`
		select coalesce(sum(d.cost), 0) as cost
		from usage_daily d join wallets w on w.id = d.wallet_id
		where w.user_id = ${userId} and d.day >= ${pace.from}::date and d.day < ${addDays(pace.to, 1)}::date`);
	const mixOf = new Map(mixes.map((m) => [m.model, { input: BigInt(m.input_tokens), output: BigInt(m.output_tokens) }]));

	const priced = models.filter((m) => m.inputPrice !== null && m.outputPrice !== null);
	const rank = (code: string) => {
		const i = featured.indexOf(code);
		return i === -1 ? featured.length : i;
	};
	priced.sort((a, b) => rank(a.code) - rank(b.code) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

	const out = priced.map((m): ModelCapacity => {
		const inputPrice = m.inputPrice as number;
		const outputPrice = m.outputPrice as number;
		const seen = mixOf.get(m.code);
		const fromHistory = seen !== undefined && seen.input + seen.output > 0n;
		const mix = fromHistory ? { input: safe(seen.input), output: safe(seen.output) } : { ...DEFAULT_MIX };
		return {
			model: m.code,
			displayName: m.displayName,
			featured: featured.includes(m.code),
			inputPrice,
			outputPrice,
			inputTokens: tokensFor(available, inputPrice),
			outputTokens: tokensFor(available, outputPrice),
			mixedTokens: mixedTokensFor(available, inputPrice, outputPrice, mix),
			mix: { ...mix, fromHistory }
		};
	});
	const spend7d = Number(spent?.cost ?? 0);
	return {
		available,
		spend7d,
		runwayDays: runwayDays(available, spend7d, PACE_DAYS),
		modelsAvailable: out.length,
		modelsUnpriced: models.length - priced.length,
		models: out
	};
}
