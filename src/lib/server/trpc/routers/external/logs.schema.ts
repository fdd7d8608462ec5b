import { externalMeta } from './procedure';
import { z } from 'zod';
import { recordOutput } from '../../../usage/report-shapes';

export { logsInput } from '$lib/schemas/external';
export const logsOutput = z.object({
	external_user_id: z.string(),
	records: z.array(recordOutput.pick({ id: true, request_id: true, occurred_at: true, model: true, input_tokens: true, output_tokens: true, cost: true })),
	next_cursor: z.number().int().nullable()
});
export const logsMeta = externalMeta('GET', '/{external_user_id}/logs', 'Usage records newest first; filter by UTC days and model; page with cursor = next_cursor');
