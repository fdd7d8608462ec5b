import type { z } from 'zod';
import type { setDisabledInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { setBatchDisabled } from '../../../codes/batches';
import { notFound } from '../../../errors';

export async function setBatchDisabledHandler({ ctx, input }: HandlerOptions<z.output<typeof setDisabledInput>>) {
	const row = await setBatchDisabled(ctx.db, input.id, input.disabled);
	if (!row) throw notFound('not_found');
	return { id: row.id, disabled: row.disabledAt !== null };
}
