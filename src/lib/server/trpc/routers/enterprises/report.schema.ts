import { z } from 'zod';
import { amountsOutput } from '../../../usage/report-shapes';

export { reportInput } from '$lib/schemas/enterprises';
export const reportOutput = z.object({
	month: z.string(),
	rows: z.array(z.object({ user_id: z.number().int(), name: z.string(), email: z.string(), active: z.boolean(), ...amountsOutput.shape }))
});
