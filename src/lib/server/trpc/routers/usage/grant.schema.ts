import { z } from 'zod';

export const grantOutput = z.object({
	grant_id: z.number().int(),
	entry_id: z.number().int(),
	wallet_id: z.number().int(),
	amount: z.number().int(),
	balance_after: z.number().int(),
	duplicate: z.boolean()
});
