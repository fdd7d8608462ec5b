import type { z } from 'zod';
import { requireEnterprise } from '../../../enterprises/enterprises';
import { setSuspended } from '../../../enterprises/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setSuspendedInput } from './setSuspended.schema';

export async function setSuspendedHandler({ ctx, input }: HandlerOptions<z.infer<typeof setSuspendedInput>>) {
	await requireEnterprise(ctx.db, input.enterprise_id);
	return snakeKeys(await setSuspended(ctx.db, ctx.user.id, input.enterprise_id, input.suspended));
}
