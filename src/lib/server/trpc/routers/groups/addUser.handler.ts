import type { z } from 'zod';
import { addMember } from '../../../groups/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { addUserInput } from './addUser.schema';

/** Adding by id is for the platform; a group admin invites by email instead (`invite`). */
export async function addUserHandler({ ctx, input }: HandlerOptions<z.infer<typeof addUserInput>>) {
	const { membership } = await addMember(ctx.db, input.group_id, input.user_id, ctx.user.id);
	return snakeKeys(membership);
}
