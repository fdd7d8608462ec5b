import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { setMemberLimit } from '../../../enterprises/limits';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setLimitInput } from './setLimit.schema';

export async function setLimitHandler({ ctx, input }: HandlerOptions<z.infer<typeof setLimitInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return snakeKeys(await setMemberLimit(ctx.db, input.enterprise_id, input.user_id, input.monthly_limit));
}
