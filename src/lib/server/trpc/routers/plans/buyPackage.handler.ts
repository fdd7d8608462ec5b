import type { z } from 'zod';
import type { buyPackageInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { buyPackage } from '../../../plans/packages';
import { orderView } from '../../../recharge/api-shapes';
import { withPlanErrors } from './plan-errors';

export function buyPackageHandler({ ctx, input }: HandlerOptions<z.output<typeof buyPackageInput>>) {
	return withPlanErrors(async () => orderView(await buyPackage(ctx.db, ctx.user.id, { packageId: input.id, method: input.method, expectedPrice: input.expected_price })));
}
