import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { addDays, dayIn, monthBounds, utcDay } from '../calendar';

/** Inclusive UTC days, 'YYYY-MM-DD'. */
export interface DayRange {
	from: string;
	to: string;
}

/** One user's usage, or the whole platform's when userId is null (admins only). */
export interface UsageScope {
	userId: number | null;
}

export interface UsageAmounts {
	requests: number;
	inputTokens: number;
	outputTokens: number;
	cost: number;
}

export interface DailyModelRow extends UsageAmounts {
	day: string;
	model: string;
}

export interface ModelTotalRow extends UsageAmounts {
	model: string;
}

export interface UserTotalRow extends UsageAmounts {
	userId: number;
	name: string;
	email: string;
}

/** The last `days` calendar days (UTC unless a time zone is given) ending today, inclusive. */
export function lastDays(days: number, now = new Date(), timeZone = 'UTC'): DayRange {
	const to = dayIn(now, timeZone);
	return { from: addDays(to, -(days - 1)), to };
}

/** From the 1st of the current UTC month to today. */
export function thisMonth(now = new Date()): DayRange {
	return { from: utcDay(monthBounds(now).start), to: utcDay(now) };
}

type AmountRow = { requests: string; input_tokens: string; output_tokens: string; cost: string };

function amounts(r: AmountRow): UsageAmounts {
	return {
		requests: Number(r.requests),
		inputTokens: Number(r.input_tokens),
		outputTokens: Number(r.output_tokens),
		cost: Number(r.cost)
	};
}

export function sumAmounts(rows: UsageAmounts[]): UsageAmounts {
	const total = { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
	for (const r of rows) {
		total.requests += r.requests;
		total.inputTokens += r.inputTokens;
		total.outputTokens += r.outputTokens;
		total.cost += r.cost;
	}
	return total;
}

const SUMS = sql`coalesce(sum(requests), 0) as requests, coalesce(sum(input_tokens), 0) as input_tokens,
	coalesce(sum(output_tokens), 0) as output_tokens, coalesce(sum(cost), 0) as cost`;

function dailyWhere(scope: UsageScope, range: DayRange | null): SQL {
	const parts: SQL[] = [];
	if (scope.userId !== null) parts.push(sql`user_id = ${scope.userId}`);
	if (range) parts.push(sql`day between ${range.from}::date and ${range.to}::date`);
	return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}

/** Usage per day and model, read from the daily roll-up only. */
export async function dailyByModel(db: DbOrTx, scope: UsageScope, range: DayRange): Promise<DailyModelRow[]> {
	const rows = await db.execute<AmountRow & { day: string; model: string }>(sql`
		select day::text as day, model, ${SUMS}
		from usage_daily ${dailyWhere(scope, range)}
		group by day, model order by day, model`);
	return rows.map((r) => ({ day: r.day, model: r.model, ...amounts(r) }));
}

/**
 * One user's usage per day and model with days counted in an IANA time zone, read from the usage
 * records (the roll-up is keyed by UTC day). Meant for chart ranges of up to ~90 days.
 */
export async function userDailyByModelIn(db: DbOrTx, userId: number, range: DayRange, timeZone: string): Promise<DailyModelRow[]> {
	const rows = await db.execute<AmountRow & { day: string; model: string }>(sql`
		select to_char(date_trunc('day', occurred_at at time zone ${timeZone}), 'YYYY-MM-DD') as day, model,
			count(*) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, sum(cost) as cost
		from usage_records
		where user_id = ${userId}
			and occurred_at >= (${range.from}::date::timestamp at time zone ${timeZone})
			and occurred_at < ((${range.to}::date + 1)::timestamp at time zone ${timeZone})
		group by 1, model order by 1, model`);
	return rows.map((r) => ({ day: r.day, model: r.model, ...amounts(r) }));
}

/** Usage per model over the range, most expensive first, from the daily roll-up. */
export async function modelTotals(db: DbOrTx, scope: UsageScope, range: DayRange, limit = 10): Promise<ModelTotalRow[]> {
	const rows = await db.execute<AmountRow & { model: string }>(sql`
		select model, ${SUMS}
		from usage_daily ${dailyWhere(scope, range)}
		group by model order by sum(cost) desc, model limit ${limit}`);
	return rows.map((r) => ({ model: r.model, ...amounts(r) }));
}

/** Totals over the range (all time when range is null), from the daily roll-up. */
export async function usageTotals(db: DbOrTx, scope: UsageScope, range: DayRange | null): Promise<UsageAmounts> {
	const [row] = await db.execute<AmountRow>(sql`select ${SUMS} from usage_daily ${dailyWhere(scope, range)}`);
	return amounts(row);
}

/** The platform's heaviest users over the range, from the daily roll-up. */
export async function topUsers(db: DbOrTx, range: DayRange, limit = 20): Promise<UserTotalRow[]> {
	const rows = await db.execute<AmountRow & { user_id: number; name: string; email: string }>(sql`
		select d.user_id, u.name, u.email, d.requests, d.input_tokens, d.output_tokens, d.cost
		from (select user_id, ${SUMS} from usage_daily ${dailyWhere({ userId: null }, range)} group by user_id) d
		join users u on u.id = d.user_id
		order by d.cost desc, d.user_id limit ${limit}`);
	return rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, ...amounts(r) }));
}

/** Models a user has used, for the log's model filter. */
export async function usedModels(db: DbOrTx, userId: number): Promise<string[]> {
	const rows = await db.execute<{ model: string }>(sql`
		select distinct model from usage_daily where user_id = ${userId} order by model`);
	return rows.map((r) => r.model);
}
