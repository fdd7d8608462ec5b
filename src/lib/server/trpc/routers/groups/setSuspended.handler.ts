import type { z } from 'zod';
import { requireGroup } from '../../../groups/groups';
import { setSuspended } from '../../../groups/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setSuspendedInput } from './setSuspended.schema';

export async function setSuspendedHandler({ ctx, input }: HandlerOptions<z.infer<typeof setSuspendedInput>>) {
	await requireGroup(ctx.db, input.group_id);
	return snakeKeys(await setSuspended(ctx.db, ctx.user.id, input.group_id, input.suspended));
}
