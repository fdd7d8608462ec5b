import { externalMeta } from './procedure';
import { z } from 'zod';
import { userOutput } from './output';

export { externalUserInput as getInput } from '$lib/schemas/external';
export const getOutput = userOutput.extend({
	balance: z.object({ credits: z.number().int(), usd: z.string() }),
	used: z.object({ credits: z.number().int(), requests: z.number().int() }),
	plan: z.null().describe('Subscription plan; Tally has none yet')
});
export const getMeta = externalMeta('GET', '/{external_user_id}', 'The user, balance (credits and USD), usage so far, plan');
