import { z } from 'zod';
import { config } from '../config';
import { snakeKeys } from '../snake-keys';
import { sumAmounts, type DailyModelRow } from './reports';
import type { UsageLogRow } from './usage-log';

/** The usage report answers the dashboard and the external-users API share (snake_case, integer credits). */
export const amountsOutput = z.object({
	requests: z.number().int(),
	input_tokens: z.number().int(),
	output_tokens: z.number().int(),
	cost: z.number().int()
});

export const modelAmountsOutput = amountsOutput.extend({ model: z.string() });

export const recordOutput = z.object({
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
	paid_by: z.object({ type: z.enum(['personal', 'enterprise']), enterprise_id: z.number().int().nullable(), enterprise_name: z.string().nullable() })
});

export function toRecord(r: UsageLogRow): z.infer<typeof recordOutput> {
	return {
		...snakeKeys(r),
		paid_by: { type: r.payerEnterpriseId === null ? 'personal' : 'enterprise', enterprise_id: r.payerEnterpriseId, enterprise_name: r.payerEnterpriseName }
	};
}

export const moneyOutput = z.object({ credits_per_unit: z.number().int(), currency: z.string() });

/** What credits are worth: how many make one unit of the display currency. */
export function money(): z.infer<typeof moneyOutput> {
	const cfg = config();
	return { credits_per_unit: cfg.CREDITS_PER_UNIT, currency: cfg.CURRENCY };
}

/** Per-model daily rows folded into one total per day, oldest day first. */
export function dayTotals(rows: DailyModelRow[]) {
	const byDay = new Map<string, DailyModelRow[]>();
	for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
	return [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, list]) => ({ day, ...snakeKeys(sumAmounts(list)) }));
}
