import { z } from 'zod';
import { amountsOutput, modelAmountsOutput, moneyOutput } from '../../../usage/report-shapes';
import { dayRangeOutput } from './output';

export { platformInput } from '$lib/schemas/dashboard';
export const platformOutput = z.object({
	money: moneyOutput,
	range: dayRangeOutput,
	totals: amountsOutput,
	daily: z.array(amountsOutput.extend({ day: z.string(), model: z.string() })),
	models: z.array(modelAmountsOutput),
	top_users: z.array(amountsOutput.extend({ user_id: z.number().int(), name: z.string(), email: z.string() }))
});
