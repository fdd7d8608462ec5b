import { z } from 'zod';

export { membersInput } from '$lib/schemas/enterprises';
export const membersOutput = z.array(
	z.object({
		user_id: z.number().int(),
		name: z.string(),
		email: z.string(),
		joined_at: z.date(),
		suspended: z.boolean(),
		monthly_limit: z.number().int().nullable(),
		spent_this_month: z.number().int(),
		limit_left: z.number().int().nullable()
	})
);
