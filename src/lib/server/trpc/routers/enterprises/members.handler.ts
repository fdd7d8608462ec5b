import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { enterpriseMembers } from '../../../enterprises/reports';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { membersInput } from './members.schema';

export async function membersHandler({ ctx, input }: HandlerOptions<z.infer<typeof membersInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return (await enterpriseMembers(ctx.db, input.enterprise_id, { search: input.q, limit: input.limit })).map(snakeKeys);
}
