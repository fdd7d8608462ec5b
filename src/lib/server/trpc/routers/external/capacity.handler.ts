import type { z } from 'zod';
import { requireExternalUser } from '../../../external/users';
import { balanceCapacity } from '../../../usage/capacity';
import type { HandlerOptions } from '../../context';
import { toCapacityOutput } from '../capacity';
import type { capacityInput } from './capacity.schema';

export async function capacityHandler({ ctx, input }: HandlerOptions<z.infer<typeof capacityInput>>) {
	const user = await requireExternalUser(ctx.db, input.external_user_id);
	return { external_user_id: input.external_user_id, ...toCapacityOutput(await balanceCapacity(ctx.db, user.id)) };
}
