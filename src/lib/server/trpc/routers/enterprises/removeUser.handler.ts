import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { removeMember } from '../../../enterprises/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import { toSeedMembership } from './seed-wire';
import type { removeUserInput } from './removeUser.schema';

export async function removeUserHandler({ ctx, input }: HandlerOptions<z.infer<typeof removeUserInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.group_id);
	const { membership } = await removeMember(ctx.db, input.group_id, input.user_id);
	return toSeedMembership(snakeKeys(membership));
}
