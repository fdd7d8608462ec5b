import type { z } from 'zod';
import type { createBatchInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { batchView } from '../../../codes/api-shapes';
import { batchCsv, createBatch, type BatchGives } from '../../../codes/batches';

export async function createBatchHandler({ ctx, input }: HandlerOptions<z.output<typeof createBatchInput>>) {
	const gives: BatchGives = input.kind === 'package' ? { kind: 'package', packageId: input.package_id! } : { kind: 'credits', credits: input.credits! };
	const { batch, package: pkg, codes } = await createBatch(ctx.db, ctx.user.id, {
		...gives,
		name: input.name,
		count: input.count,
		expiresAt: input.expires_at ?? null,
		usesPerCode: input.uses_per_code,
		usesPerUser: input.uses_per_user
	});
	return { batch: batchView(batch, pkg, 0), codes, csv: batchCsv(batch, pkg, codes) };
}
