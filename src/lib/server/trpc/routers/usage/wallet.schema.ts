import { z } from 'zod';
import { rowId } from '$lib/schemas/fields';
import { grantSources, grantUnits } from '../../../db/schema';

export const walletInput = z.object({ user_id: rowId.optional() });

export const walletOutput = z.object({
	wallet_id: z.number().int(),
	balance: z.number().int(),
	regular: z.number().int(),
	grants: z.array(
		z.object({
			grant_id: z.number().int(),
			source: z.enum(grantSources),
			unit: z.enum(grantUnits),
			original: z.number().int(),
			remaining: z.number().int(),
			priority: z.number().int(),
			effective_from: z.date(),
			expires_at: z.date().nullable(),
			usable: z.boolean()
		})
	),
	held: z.number().int(),
	available: z.number().int(),
	order: z.array(z.union([z.number().int(), z.literal('regular')]))
});
