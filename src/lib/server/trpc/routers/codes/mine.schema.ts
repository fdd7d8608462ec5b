import { z } from 'zod';
import { pageLimit } from '$lib/schemas/fields';
import { redemptionGives } from '../../../codes/api-shapes';

export const myRedemptionsInput = z.object({ limit: pageLimit(200, 50) });

export const myRedemptionsOutput = z.array(
	z.object({ id: z.number().int(), code_prefix: z.string(), batch_name: z.string(), ...redemptionGives, expires_at: z.date().nullable(), created_at: z.date() })
);
