import { z } from 'zod';
import { batchOutput, redemptionGives } from '../../../codes/api-shapes';

const codeOutput = z.object({ id: z.number().int(), prefix: z.string(), uses: z.number().int(), max_uses: z.number().int(), disabled: z.boolean() });

export const batchDetailOutput = z.object({
	batch: batchOutput,
	codes: z.array(codeOutput),
	redemptions: z.array(
		z.object({ id: z.number().int(), code_id: z.number().int(), code_prefix: z.string(), user_id: z.number().int(), email: z.string(), ...redemptionGives, created_at: z.date() })
	)
});
