import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { amountsOutput, recordOutput } from '../../../usage/report-shapes';

export { usageRecordsInput as recordsInput } from '$lib/schemas/dashboard';
export const recordsOutput = z.object({
	user_id: z.number().int(),
	records: z.array(recordOutput),
	next_cursor: z.number().int().nullable(),
	totals: amountsOutput.describe('every record matching the filters, not only this page')
});
export const recordsMeta: OpenApiMeta = {
	openapi: { method: 'GET', path: '/usage/records', tags: ['usage'], summary: 'Usage records, newest first, and their totals; filter by UTC days, model, payer and API key; page with `after` = next_cursor' }
};
