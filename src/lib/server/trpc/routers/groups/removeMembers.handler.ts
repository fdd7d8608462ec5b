import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { removeMembersByEmail } from '../../../groups/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { removeMembersInput } from './removeMembers.schema';

export async function removeMembersHandler({ ctx, input }: HandlerOptions<z.infer<typeof removeMembersInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return (await removeMembersByEmail(ctx.db, input.group_id, input.emails)).map(snakeKeys);
}
