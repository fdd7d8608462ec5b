import { z } from 'zod';
import { holdStatuses } from '../../../db/schema';

export const holdOutput = z.object({
	hold_id: z.number().int(),
	request_id: z.string(),
	status: z.enum(holdStatuses),
	amount: z.number().int(),
	wallet_id: z.number().int(),
	enterprise_id: z.number().int().nullable(),
	expires_at: z.date(),
	resolved_at: z.date().nullable(),
	captured_cost: z.number().int().nullable()
});
