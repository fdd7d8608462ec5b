import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { moneyOutput } from '../../../usage/report-shapes';

export { walletHistoryInput } from '$lib/schemas/dashboard';
export const walletHistoryOutput = z.object({
	wallet_id: z.number().int(),
	balance: z.number().int(),
	money: moneyOutput,
	entries: z.array(
		z.object({
		id: z.number().int(),
		kind: z.string(),
		amount: z.number().int(),
		balance_after: z.number().int(),
		reference: z.string().nullable(),
		memo: z.string().nullable(),
		actor_name: z.string().nullable(),
		created_at: z.date()
		})
	),
	next_cursor: z.number().int().nullable()
});
export const walletHistoryMeta: OpenApiMeta = {
	openapi: { method: 'GET', path: '/wallet/entries', tags: ['usage'], summary: "A wallet's ledger entries, newest first (own wallet; enterprise_id for an enterprise you administer)" }
};
