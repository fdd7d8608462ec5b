import type { z } from 'zod';
import { setGroupAdmins } from '../../../groups/groups';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setAdminsInput } from './setAdmins.schema';

export async function setAdminsHandler({ ctx, input }: HandlerOptions<z.infer<typeof setAdminsInput>>) {
	return snakeKeys(await setGroupAdmins(ctx.db, input.group_id, input.admin_emails));
}
