import type { z } from 'zod';
import { addMember } from '../../../enterprises/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import { toSeedMembership } from './seed-wire';
import type { addUserInput } from './addUser.schema';

/** Adding by id is for the platform; an enterprise admin invites by email instead (`invite`). */
export async function addUserHandler({ ctx, input }: HandlerOptions<z.infer<typeof addUserInput>>) {
	const { membership } = await addMember(ctx.db, input.group_id, input.user_id, ctx.user.id);
	return toSeedMembership(snakeKeys(membership));
}
