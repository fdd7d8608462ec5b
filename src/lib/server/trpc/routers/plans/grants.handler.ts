import type { z } from 'zod';
import type { listGrantsInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { listGrants } from '../../../plans/admin-grants';
import { grantView } from '../../../plans/api-shapes';

export async function grantsHandler({ ctx, input }: HandlerOptions<z.output<typeof listGrantsInput>>) {
	return (await listGrants(ctx.db, { userId: input.user_id, enterpriseId: input.enterprise_id })).map((r) => grantView(r.grant));
}
