import { z } from 'zod';

export const authorizeOutput = z.object({
	allowed: z.boolean(),
	reason: z.string(),
	payer: z.object({ wallet_id: z.number().int(), enterprise_id: z.number().int().nullable() }).nullable(),
	available: z.number().int().describe('the payer: spendable balance less active holds (after this hold, when one was placed)'),
	estimated_cost: z.number().int(),
	hold_id: z.number().int().nullable().optional().describe('reserve: the hold placed, null when refused'),
	expires_at: z.date().nullable().optional().describe('reserve: when the hold lapses unless captured or released')
});
