import { z } from 'zod';

export { walletHistoryInput } from '$lib/schemas/enterprises';
export const walletHistoryOutput = z.array(
	z.object({
		id: z.number().int(),
		amount: z.number().int(),
		balance_after: z.number().int(),
		kind: z.string(),
		reference: z.string().nullable(),
		memo: z.string().nullable(),
		created_at: z.date()
	})
);
