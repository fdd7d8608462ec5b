import { z } from 'zod';
import { settingsOutput } from '../../../recharge/api-shapes';

export const eligibilityOutput = z.object({
	enabled: z.boolean(),
	has_participated: z.boolean().describe('any bonus log row, legacy rows included'),
	eligible: z.boolean().describe('promotion on and at least one preset tier still unused'),
	used_tiers: z.array(z.number()).describe('currency units'),
	config: settingsOutput
});
