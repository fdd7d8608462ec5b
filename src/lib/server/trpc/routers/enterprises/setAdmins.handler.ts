import type { z } from 'zod';
import { setEnterpriseAdmins } from '../../../enterprises/enterprises';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { setAdminsInput } from './setAdmins.schema';

export async function setAdminsHandler({ ctx, input }: HandlerOptions<z.infer<typeof setAdminsInput>>) {
	return snakeKeys(await setEnterpriseAdmins(ctx.db, input.enterprise_id, input.admin_emails));
}
