import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { getGroup } from '../../../groups/groups';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { getInput } from './get.schema';

export async function getHandler({ ctx, input }: HandlerOptions<z.infer<typeof getInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return snakeKeys(await getGroup(ctx.db, input.group_id));
}
