import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { holdRequestInput } from '$lib/schemas/metering';
import type { HandlerOptions } from '../../context';
import { HoldNotFoundError, releaseHold } from '../../../ledger/holds';

export async function releaseHoldHandler({ ctx, input }: HandlerOptions<z.output<typeof holdRequestInput>>) {
	try {
		return await releaseHold(ctx.db, ctx.user.id, input.request_id);
	} catch (err) {
		if (err instanceof HoldNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: err.code });
		throw err;
	}
}
