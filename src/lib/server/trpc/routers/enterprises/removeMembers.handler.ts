import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { removeMembersByEmail } from '../../../enterprises/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { removeMembersInput } from './removeMembers.schema';

export async function removeMembersHandler({ ctx, input }: HandlerOptions<z.infer<typeof removeMembersInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return (await removeMembersByEmail(ctx.db, input.enterprise_id, input.emails)).map(snakeKeys);
}
