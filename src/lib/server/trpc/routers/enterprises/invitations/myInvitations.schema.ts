import { z } from 'zod';

export const myInvitationsInput = z.void();
export const myInvitationsOutput = z.array(
	z.object({
		id: z.number().int(),
		enterprise_id: z.number().int(),
		enterprise_name: z.string(),
		enterprise_description: z.string(),
		invited_by_name: z.string().nullable(),
		expires_at: z.date()
	})
);
