import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { getEnterprise } from '../../../enterprises/enterprises';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { getInput } from './get.schema';

export async function getHandler({ ctx, input }: HandlerOptions<z.infer<typeof getInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return snakeKeys(await getEnterprise(ctx.db, input.enterprise_id));
}
