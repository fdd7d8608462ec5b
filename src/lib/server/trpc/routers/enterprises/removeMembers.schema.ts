import { z } from 'zod';

export { batchEmailsInput as removeMembersInput } from '$lib/schemas/enterprises';
export const removeMembersOutput = z.array(
	z.object({
		email: z.string(),
		status: z.enum(['removed', 'not_member', 'unknown_email', 'invalid_email']),
		user_id: z.number().int().nullable()
	})
);
