import type { z } from 'zod';
import { syncExternalUser } from '../../../external/users';
import type { HandlerOptions } from '../../context';
import { toUserOutput } from './output';
import type { syncInput } from './sync.schema';

export async function syncHandler({ ctx, input }: HandlerOptions<z.infer<typeof syncInput>>) {
	const { user, created } = await syncExternalUser(ctx.db, input);
	return { ...toUserOutput(user), created };
}
