import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { grantInput } from '$lib/schemas/money';
import { holdRequestInput } from '$lib/schemas/metering';
import { rowId } from '$lib/schemas/fields';
import { grantSources, grantUnits, holdStatuses } from '../../db/schema';
import { issueGrant, InvalidGrantError } from '../../ledger/grants';
import { HoldNotFoundError, releaseHold } from '../../ledger/holds';
import { walletView } from '../../ledger/wallet-view';
import { groupWalletId, userWalletId } from '../../ledger/wallets';
import { adminProcedure, scopedProcedure } from '../init';

const holdOutput = z.object({
	hold_id: z.number().int(),
	request_id: z.string(),
	status: z.enum(holdStatuses),
	amount: z.number().int(),
	wallet_id: z.number().int(),
	group_id: z.number().int().nullable(),
	expires_at: z.date(),
	resolved_at: z.date().nullable(),
	captured_cost: z.number().int().nullable()
});

export const walletOutput = z.object({
	wallet_id: z.number().int(),
	balance: z.number().int(),
	regular: z.number().int(),
	grants: z.array(
		z.object({
			grant_id: z.number().int(),
			source: z.enum(grantSources),
			unit: z.enum(grantUnits),
			original: z.number().int(),
			remaining: z.number().int(),
			priority: z.number().int(),
			effective_from: z.date(),
			expires_at: z.date().nullable(),
			usable: z.boolean()
		})
	),
	held: z.number().int(),
	available: z.number().int(),
	order: z.array(z.union([z.number().int(), z.literal('regular')]))
});

/** Holds, the wallet view and admin grants, spread into the usage router. */
export const holdProcedures = {
	releaseHold: scopedProcedure('usage:write', 'admin')
		.meta({
			openapi: {
				method: 'POST',
				path: '/usage/holds/{request_id}/release',
				tags: ['usage'],
				summary: "Release the hold you placed for a request; a hold already resolved answers its final state and changes nothing"
			}
		})
		.input(holdRequestInput)
		.output(holdOutput)
		.mutation(async ({ ctx, input }) => {
			try {
				return await releaseHold(ctx.db, ctx.user.id, input.request_id);
			} catch (err) {
				if (err instanceof HoldNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: err.code });
				throw err;
			}
		}),

	wallet: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/wallet', tags: ['usage'], summary: "A wallet (yours; any user's for a platform admin): regular balance, grants, held, available and the order they are used in" } })
		.input(z.object({ user_id: rowId.optional() }))
		.output(walletOutput)
		.query(async ({ ctx, input }) => {
			const userId = input.user_id ?? ctx.user.id;
			if (userId !== ctx.user.id && ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'not_your_data' });
			let walletId: number;
			try {
				walletId = await userWalletId(ctx.db, userId);
			} catch {
				throw new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
			}
			return walletView(ctx.db, walletId);
		}),

	grant: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/credits/grant', tags: ['admin'], summary: 'Give a user or group wallet a credit grant (priority, optional expiry); a retry with the same idempotency_key returns the original' } })
		.input(grantInput)
		.output(z.object({ grant_id: z.number().int(), entry_id: z.number().int(), wallet_id: z.number().int(), amount: z.number().int(), balance_after: z.number().int(), duplicate: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			let walletId: number;
			try {
				walletId = input.group_id !== undefined ? await groupWalletId(ctx.db, input.group_id) : await userWalletId(ctx.db, input.user_id!);
			} catch {
				throw new TRPCError({ code: 'NOT_FOUND', message: input.group_id !== undefined ? 'group_not_found' : 'user_not_found' });
			}
			try {
				const posted = await ctx.db.transaction((tx) =>
					issueGrant(tx, {
						walletId,
						source: input.source,
						amount: input.amount,
						priority: input.priority,
						effectiveFrom: input.effective_from,
						expiresAt: input.expires_at ?? null,
						memo: input.reason,
						idempotencyKey: input.idempotency_key,
						actorUserId: ctx.user.id
					})
				);
				return { grant_id: posted.grantId, entry_id: posted.entryId, wallet_id: posted.walletId, amount: posted.amount, balance_after: posted.balanceAfter, duplicate: posted.duplicate };
			} catch (err) {
				if (err instanceof InvalidGrantError) throw new TRPCError({ code: 'BAD_REQUEST', message: 'invalid_grant' });
				throw err;
			}
		})
};
