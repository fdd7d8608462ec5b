import { z } from 'zod';
import { subscriptionStatuses } from '../../../db/schema';

export const subscribersOutput = z.array(
	z.object({
		id: z.number().int(),
		email: z.string(),
		plan: z.string().describe('the plan’s name'),
		status: z.enum(subscriptionStatuses),
		started_at: z.date(),
		paid_through: z.date(),
		cancelled_at: z.date().nullable()
	})
);
