import { z } from 'zod';
import { adjustInput } from '$lib/schemas/metering';
import { adjustWallet } from '../../../ledger/adjust';
import { adminProcedure } from '../../init';

/** A platform admin's grant or deduction on a wallet (REST path unchanged: /admin/credits/adjust). */
export const creditProcedures = {
	adjustCredits: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/credits/adjust', tags: ['admin'], summary: 'Grant or deduct credits on a user or enterprise wallet; a retry with the same idempotency_key returns the original' } })
		.input(adjustInput)
		.output(z.object({ entry_id: z.number().int(), wallet_id: z.number().int(), amount: z.number().int(), balance_after: z.number().int(), duplicate: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const posted = await adjustWallet(ctx.db, {
				userId: input.user_id,
				enterpriseId: input.enterprise_id,
				amount: input.amount,
				reason: input.reason,
				idempotencyKey: input.idempotency_key,
				actorUserId: ctx.user.id
			});
			return { entry_id: posted.entryId, wallet_id: posted.walletId, amount: posted.amount, balance_after: posted.balanceAfter, duplicate: posted.duplicate };
		})
};
