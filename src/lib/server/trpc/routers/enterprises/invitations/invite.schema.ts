import { z } from 'zod';

export { batchEmailsInput as inviteInput } from '$lib/schemas/enterprises';
export const inviteOutput = z.array(
	z.object({
		email: z.string(),
		status: z.enum(['invited', 'already_member', 'already_invited', 'signup_link', 'invalid']),
		/** Only with `signup_link`: the registration path carrying the invitation token (shown once). */
		signup_path: z.string().nullable()
	})
);
