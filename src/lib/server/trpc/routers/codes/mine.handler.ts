import type { z } from 'zod';
import type { HandlerOptions } from '../../context';
import { userRedemptions } from '../../../codes/batches';
import type { myRedemptionsInput } from './mine.schema';

export async function mineHandler({ ctx, input }: HandlerOptions<z.output<typeof myRedemptionsInput>>) {
	return (await userRedemptions(ctx.db, ctx.user.id, input.limit)).map((r) => ({
		id: r.id,
		code_prefix: r.codePrefix,
		batch_name: r.batchName,
		kind: r.kind,
		credits: r.credits,
		package_name: r.packageName,
		expires_at: r.expiresAt,
		created_at: r.createdAt
	}));
}
