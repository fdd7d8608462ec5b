import { externalMeta } from './procedure';
import { z } from 'zod';
import { amountsOutput, modelAmountsOutput } from '../../../usage/report-shapes';

export { statsInput } from '$lib/schemas/external';
export const statsOutput = z.object({
	external_user_id: z.string(),
	from: z.string(),
	to: z.string(),
	total: amountsOutput,
	days: z.array(amountsOutput.extend({ day: z.string() })),
	models: z.array(modelAmountsOutput)
});
export const statsMeta = externalMeta('GET', '/{external_user_id}/stats', 'Usage totals per UTC day and per model between from and to (inclusive days; default the last 30)');
