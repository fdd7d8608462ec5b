import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { groupMembers } from '../../../groups/reports';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { membersInput } from './members.schema';

export async function membersHandler({ ctx, input }: HandlerOptions<z.infer<typeof membersInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return (await groupMembers(ctx.db, input.group_id, { search: input.q, limit: input.limit })).map(snakeKeys);
}
