import { z } from 'zod';

export const tiersEligibilityOutput = z.object({
	enabled: z.boolean(),
	tiers: z.array(z.object({ tier_amount: z.number().describe('currency units'), eligible: z.boolean(), bonus_amount: z.number().describe('currency units') }))
});
