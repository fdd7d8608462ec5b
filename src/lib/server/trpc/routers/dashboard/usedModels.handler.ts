import type { z } from 'zod';
import { readableUser } from '../../../usage/report-owner';
import { usedModels } from '../../../usage/reports';
import type { HandlerOptions } from '../../context';
import type { usedModelsInput } from './usedModels.schema';

export async function usedModelsHandler({ ctx, input }: HandlerOptions<z.infer<typeof usedModelsInput>>) {
	return usedModels(ctx.db, (await readableUser(ctx.db, ctx.user, input.user_id)).id);
}
