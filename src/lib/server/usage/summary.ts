import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { monthBounds, utcDay } from '../calendar';
import { walletBalance, userWalletId } from '../ledger/wallets';

export interface UsageTotals {
	requests: number;
	input_tokens: number;
	output_tokens: number;
	total_tokens: number;
	cost: number;
}

export interface UsageSummary {
	token_balance: number;
	in_arrears: boolean;
	today: UsageTotals;
	this_month: UsageTotals;
	all_time: UsageTotals;
}

export async function userBalance(db: DbOrTx, userId: number): Promise<{ token_balance: number; in_arrears: boolean }> {
	const balance = await walletBalance(db, await userWalletId(db, userId));
	return { token_balance: balance, in_arrears: balance < 0 };
}

/** A user's usage totals (UTC days) read from the daily roll-up, never from raw usage rows. */
export async function usageSummary(db: DbOrTx, userId: number, now = new Date()): Promise<UsageSummary> {
	const today = utcDay(now);
	const monthStart = utcDay(monthBounds(now).start);
	const [row] = await db.execute<Record<string, string>>(sql`
		select
			coalesce(sum(requests) filter (where day = ${today}::date), 0) as today_requests,
			coalesce(sum(input_tokens) filter (where day = ${today}::date), 0) as today_input,
			coalesce(sum(output_tokens) filter (where day = ${today}::date), 0) as today_output,
			coalesce(sum(cost) filter (where day = ${today}::date), 0) as today_cost,
			coalesce(sum(requests) filter (where day >= ${monthStart}::date), 0) as month_requests,
			coalesce(sum(input_tokens) filter (where day >= ${monthStart}::date), 0) as month_input,
			coalesce(sum(output_tokens) filter (where day >= ${monthStart}::date), 0) as month_output,
			coalesce(sum(cost) filter (where day >= ${monthStart}::date), 0) as month_cost,
			coalesce(sum(requests), 0) as all_requests,
			coalesce(sum(input_tokens), 0) as all_input,
			coalesce(sum(output_tokens), 0) as all_output,
			coalesce(sum(cost), 0) as all_cost
		from usage_daily where user_id = ${userId}`);
	const totals = (prefix: string): UsageTotals => {
		const input = Number(row[`${prefix}_input`]);
		const output = Number(row[`${prefix}_output`]);
		return { requests: Number(row[`${prefix}_requests`]), input_tokens: input, output_tokens: output, total_tokens: input + output, cost: Number(row[`${prefix}_cost`]) };
	};
	return { ...(await userBalance(db, userId)), today: totals('today'), this_month: totals('month'), all_time: totals('all') };
}
