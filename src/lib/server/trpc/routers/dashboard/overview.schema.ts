import { z } from 'zod';
import { amountsOutput, modelAmountsOutput, moneyOutput, recordOutput } from '../../../usage/report-shapes';
import { dayRangeOutput, personOutput } from './output';

export { overviewInput } from '$lib/schemas/dashboard';
export const overviewOutput = z.object({
	user: personOutput,
	money: moneyOutput,
	balance: z.number().int(),
	in_arrears: z.boolean(),
	low_balance: z.boolean(),
	low_balance_threshold: z.number().int().describe('the wallet’s low-balance alert threshold (credits; 0 = off)'),
	held: z.number().int(),
	available: z.number().int(),
	today: amountsOutput,
	month: amountsOutput,
	all_time: amountsOutput,
	range: dayRangeOutput,
	time_zone: z.string().describe('IANA zone that `range`, `daily` and `today` count days in'),
	daily: z.array(amountsOutput.extend({ day: z.string(), model: z.string() })),
	top_models: z.array(modelAmountsOutput),
	recent: z.array(recordOutput)
});
