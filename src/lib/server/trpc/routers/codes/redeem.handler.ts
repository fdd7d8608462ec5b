import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { redeemInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { packageGivenView } from '../../../codes/api-shapes';
import { redeemCode, RedemptionError } from '../../../codes/redeem';

/** The one place a redemption failure becomes an answer: 404 unknown, 409 the rest, 429 too many failures. */
function redemptionAnswer(err: unknown): never {
	if (!(err instanceof RedemptionError)) throw err;
	if (err.reason === 'code_unknown') throw new TRPCError({ code: 'NOT_FOUND', message: err.reason, cause: err });
	if (err.reason === 'too_many_redemptions') throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `${err.reason}:${err.retryAfterSeconds ?? 60}`, cause: err });
	throw new TRPCError({ code: 'CONFLICT', message: err.reason, cause: err });
}

export async function redeemHandler({ ctx, input }: HandlerOptions<z.output<typeof redeemInput>>) {
	const r = await redeemCode(ctx.db, ctx.user.id, input.code, ctx.ip).catch(redemptionAnswer);
	return {
		redemption_id: r.redemptionId,
		batch_name: r.batchName,
		code_prefix: r.codePrefix,
		kind: r.kind,
		credits: r.credits,
		package: r.package && packageGivenView(r.package),
		grants: r.grants.map((g) => ({ grant_id: g.grantId, unit: g.unit, amount: g.amount, bonus: g.bonus, expires_at: g.expiresAt })),
		grant_id: r.grantId,
		expires_at: r.expiresAt,
		balance_credits: r.balanceAfter
	};
}
