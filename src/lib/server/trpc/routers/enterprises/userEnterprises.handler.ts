import type { z } from 'zod';
import { forbidden } from '../../../errors';
import { requireUser } from '../../../enterprises/enterprises';
import { userEnterprises } from '../../../enterprises/membership';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { userEnterprisesInput } from './userEnterprises.schema';

export async function userEnterprisesHandler({ ctx, input }: HandlerOptions<z.infer<typeof userEnterprisesInput>>) {
	if (ctx.user.role !== 'admin' && ctx.user.id !== input.user_id) throw forbidden('not_your_enterprises');
	await requireUser(ctx.db, input.user_id);
	return (await userEnterprises(ctx.db, input.user_id)).map((g) => ({ ...snakeKeys(g), id: g.enterpriseId }));
}
