import { TRPCError } from '@trpc/server';
import { AmountNotConvertibleError, PaymentIdConflictError } from '../../../external/topup';
import { ExternalUserNotFoundError } from '../../../external/users';
import { scopedProcedure } from '../../init';

/**
 * `/api/user/external/...`: a platform's server manages the users it signs in itself, by its own
 * id. Every procedure needs an API key with the `users:sync` scope (or a platform admin).
 */
export const platformProcedure = scopedProcedure('users:sync', 'admin').use(async ({ next }) => {
	const result = await next();
	if (!result.ok) {
		const cause = result.error.cause;
		if (cause instanceof ExternalUserNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: 'external_user_not_found', cause });
		if (cause instanceof PaymentIdConflictError) throw new TRPCError({ code: 'CONFLICT', message: 'payment_id_conflict', cause });
		if (cause instanceof AmountNotConvertibleError) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_not_convertible', cause });
	}
	return result;
});

export const externalMeta = (method: 'GET' | 'POST', path: string, summary: string) => ({ openapi: { method, path: `/user/external${path}` as const, tags: ['external users'], summary } });
