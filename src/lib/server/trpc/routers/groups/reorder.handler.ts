import type { z } from 'zod';
import { reorderGroups, userGroups } from '../../../groups/membership';
import type { HandlerOptions } from '../../context';
import type { reorderInput } from './reorder.schema';

export async function reorderHandler({ ctx, input }: HandlerOptions<z.infer<typeof reorderInput>>) {
	await reorderGroups(ctx.db, ctx.user.id, input.group_ids);
	return { group_ids: (await userGroups(ctx.db, ctx.user.id)).map((g) => g.groupId) };
}
