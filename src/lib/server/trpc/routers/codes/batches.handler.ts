import type { z } from 'zod';
import type { listBatchesInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { batchView } from '../../../codes/api-shapes';
import { listBatches } from '../../../codes/batches';

export async function batchesHandler({ ctx, input }: HandlerOptions<z.output<typeof listBatchesInput>>) {
	return (await listBatches(ctx.db, input.limit)).map((r) => batchView(r.batch, r.package, r.uses));
}
