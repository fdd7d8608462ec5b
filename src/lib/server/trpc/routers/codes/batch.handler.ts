import type { z } from 'zod';
import type { batchIdInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { batchView } from '../../../codes/api-shapes';
import { batchCodes, batchRedemptions, findBatch } from '../../../codes/batches';
import { notFound } from '../../../errors';

export async function batchHandler({ ctx, input }: HandlerOptions<z.output<typeof batchIdInput>>) {
	const found = await findBatch(ctx.db, input.id);
	if (!found) throw notFound('not_found');
	const codes = await batchCodes(ctx.db, found.batch.id);
	const used = await batchRedemptions(ctx.db, found.batch.id);
	return {
		batch: batchView(found.batch, found.package, codes.reduce((s, c) => s + c.uses, 0)),
		codes: codes.map((c) => ({ id: c.id, prefix: c.prefix, uses: c.uses, max_uses: c.maxUses, disabled: c.disabledAt !== null })),
		redemptions: used.map((r) => ({
			id: r.id,
			code_id: r.codeId,
			code_prefix: r.codePrefix,
			user_id: r.userId,
			email: r.email,
			kind: r.kind,
			credits: r.credits,
			package_name: r.packageName,
			created_at: r.createdAt
		}))
	};
}
