import type { z } from 'zod';
import { forbidden } from '../../../errors';
import { requireUser } from '../../../groups/groups';
import { userGroups } from '../../../groups/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { userGroupsInput } from './userGroups.schema';

export async function userGroupsHandler({ ctx, input }: HandlerOptions<z.infer<typeof userGroupsInput>>) {
	if (ctx.user.role !== 'admin' && ctx.user.id !== input.user_id) throw forbidden('not_your_groups');
	await requireUser(ctx.db, input.user_id);
	return (await userGroups(ctx.db, input.user_id)).map((g) => ({ ...snakeKeys(g), id: g.groupId }));
}
