import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { removeMember } from '../../../groups/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { removeUserInput } from './removeUser.schema';

export async function removeUserHandler({ ctx, input }: HandlerOptions<z.infer<typeof removeUserInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	const { membership } = await removeMember(ctx.db, input.group_id, input.user_id);
	return snakeKeys(membership);
}
