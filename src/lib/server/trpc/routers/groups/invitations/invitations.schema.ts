import { z } from 'zod';

export { groupIdInput as invitationsInput } from '$lib/schemas/groups';
export const invitationsOutput = z.array(
	z.object({
		id: z.number().int(),
		email: z.string(),
		status: z.enum(['pending', 'expired']),
		created_at: z.date(),
		expires_at: z.date()
	})
);
