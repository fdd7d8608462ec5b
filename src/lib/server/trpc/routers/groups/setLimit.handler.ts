import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { setMemberLimit } from '../../../groups/limits';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setLimitInput } from './setLimit.schema';

export async function setLimitHandler({ ctx, input }: HandlerOptions<z.infer<typeof setLimitInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return snakeKeys(await setMemberLimit(ctx.db, input.group_id, input.user_id, input.monthly_limit));
}
