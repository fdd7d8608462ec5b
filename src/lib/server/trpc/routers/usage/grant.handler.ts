import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { grantInput } from '$lib/schemas/money';
import type { HandlerOptions } from '../../context';
import { InvalidGrantError, issueStandaloneGrant } from '../../../ledger/grants';
import { enterpriseWalletId, userWalletId } from '../../../ledger/wallets';

export async function grantHandler({ ctx, input }: HandlerOptions<z.output<typeof grantInput>>) {
	let walletId: number;
	try {
		walletId = input.enterprise_id !== undefined ? await enterpriseWalletId(ctx.db, input.enterprise_id) : await userWalletId(ctx.db, input.user_id!);
	} catch {
		throw new TRPCError({ code: 'NOT_FOUND', message: input.enterprise_id !== undefined ? 'enterprise_not_found' : 'user_not_found' });
	}
	try {
		const posted = await issueStandaloneGrant(ctx.db, {
			walletId,
			source: input.source,
			amount: input.amount,
			priority: input.priority,
			effectiveFrom: input.effective_from,
			expiresAt: input.expires_at ?? null,
			memo: input.reason,
			idempotencyKey: input.idempotency_key,
			actorUserId: ctx.user.id
		});
		return { grant_id: posted.grantId, entry_id: posted.entryId, wallet_id: posted.walletId, amount: posted.amount, balance_after: posted.balanceAfter, duplicate: posted.duplicate };
	} catch (err) {
		if (err instanceof InvalidGrantError) throw new TRPCError({ code: 'BAD_REQUEST', message: 'invalid_grant' });
		throw err;
	}
}
