import type { z } from 'zod';
import type { adminGrantInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { adminGrant } from '../../../plans/admin-grants';
import { grantView } from '../../../plans/api-shapes';
import { withPlanErrors } from './plan-errors';

export function grantHandler({ ctx, input }: HandlerOptions<z.output<typeof adminGrantInput>>) {
	return withPlanErrors(async () => {
		const { grant, duplicate } = await adminGrant(ctx.db, input, ctx.user.id);
		return { ...grantView(grant), duplicate };
	});
}
