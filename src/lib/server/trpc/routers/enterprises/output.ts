import { z } from 'zod';

/** Answer shapes several enterprises procedures share (snake_case, as the API of requirement doc multi-group-credit-deduction). */
export const membershipOutput = z.object({
	id: z.number().int(),
	user_id: z.number().int(),
	enterprise_id: z.number().int(),
	joined_at: z.date(),
	is_active: z.boolean(),
	left_at: z.date().nullable(),
	added_by: z.number().int().nullable(),
	priority: z.number().int().nullable(),
	suspended: z.boolean(),
	monthly_limit: z.number().int().nullable()
});

const adminOutput = z.object({ id: z.number().int(), name: z.string(), email: z.string() });
export const enterpriseOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	description: z.string(),
	created_at: z.date(),
	balance: z.number().int(),
	member_count: z.number().int(),
	admins: z.array(adminOutput)
});

/** One of a user's active enterprises, in payment order. */
export const enterpriseInOrderOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	description: z.string(),
	joined_at: z.date(),
	suspended: z.boolean(),
	monthly_limit: z.number().int().nullable()
});

export const okOutput = z.object({ ok: z.boolean() });
