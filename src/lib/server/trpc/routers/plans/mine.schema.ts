import { z } from 'zod';
import { GRANT_UNITS } from '$lib/schemas/plans';

const subscriptionOutput = z.object({
	id: z.number().int(),
	plan_id: z.number().int(),
	plan_name: z.string(),
	started_at: z.date(),
	paid_through: z.date(),
	cancelled_at: z.date().nullable(),
	period_start: z.date().nullable(),
	period_end: z.date().nullable(),
	resets_at: z.date().nullable().describe('the next reset (the 1st, 00:00 in BILLING_TIMEZONE); null when the paid months end first'),
	allowances: z.array(z.object({ unit: z.enum(GRANT_UNITS), remaining: z.number().int(), original: z.number().int() }))
});

export const mySubscriptionsOutput = z.array(subscriptionOutput);
