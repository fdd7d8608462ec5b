import type { z } from 'zod';
import type { setDisabledInput } from '$lib/schemas/codes';
import type { HandlerOptions } from '../../context';
import { setCodeDisabled } from '../../../codes/batches';
import { notFound } from '../../../errors';

export async function setCodeDisabledHandler({ ctx, input }: HandlerOptions<z.output<typeof setDisabledInput>>) {
	const row = await setCodeDisabled(ctx.db, input.id, input.disabled);
	if (!row) throw notFound('not_found');
	return { id: row.id, disabled: row.disabledAt !== null };
}
