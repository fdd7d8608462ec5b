import { z } from 'zod';
import { codeBatchKinds } from '$lib/schemas/codes';
import { GRANT_UNITS } from '$lib/schemas/plans';
import { packageGiven } from '../../../codes/api-shapes';

export const redeemedOutput = z.object({
	redemption_id: z.number().int(),
	batch_name: z.string(),
	code_prefix: z.string(),
	kind: z.enum(codeBatchKinds).describe('what the code gave: credits, or a package'),
	credits: z.number().int().describe('credits added to the balance (0 for a package of tokens or images)'),
	package: packageGiven.nullable(),
	grants: z
		.array(
			z.object({
				grant_id: z.number().int(),
				unit: z.enum(GRANT_UNITS),
				amount: z.number().int(),
				bonus: z.boolean().describe('the package’s bonus grant'),
				expires_at: z.date().nullable()
			})
		)
		.describe('the grants this redemption gave: one credit grant, or a package’s amount and bonus'),
	grant_id: z.number().int().describe('the first of grants'),
	expires_at: z.date().nullable().describe('when what was given expires: the code batch’s expiry for credits, the package’s validity from now for a package'),
	balance_credits: z.number().int().describe('wallet balance after the redemption')
});
