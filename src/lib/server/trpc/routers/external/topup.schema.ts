import { externalMeta } from './procedure';
import { z } from 'zod';

export { topupInput } from '$lib/schemas/external';
export const topupOutput = z.object({
	order_id: z.string(),
	payment_id: z.string(),
	external_user_id: z.string(),
	amount_usd: z.string(),
	credits: z.number().int(),
	balance_after: z.number().int()
});
export const topupMeta = externalMeta('POST', '/topup', 'Credit a payment in USD (at most two decimals) exactly once per payment_id; a repeat answers the original; another amount or user for that payment_id is 409 payment_id_conflict');
