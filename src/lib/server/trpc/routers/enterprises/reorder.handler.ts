import type { z } from 'zod';
import { reorderEnterprises, userEnterprises } from '../../../enterprises/membership';
import type { HandlerOptions } from '../../context';
import type { reorderInput } from './reorder.schema';

export async function reorderHandler({ ctx, input }: HandlerOptions<z.infer<typeof reorderInput>>) {
	await reorderEnterprises(ctx.db, ctx.user.id, input.enterprise_ids);
	return { enterprise_ids: (await userEnterprises(ctx.db, ctx.user.id)).map((g) => g.enterpriseId) };
}
