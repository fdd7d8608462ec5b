import { z } from 'zod';

export { enterpriseIdInput as invitationsInput } from '$lib/schemas/enterprises';
export const invitationsOutput = z.array(
	z.object({
		id: z.number().int(),
		email: z.string(),
		status: z.enum(['pending', 'expired']),
		created_at: z.date(),
		expires_at: z.date()
	})
);
