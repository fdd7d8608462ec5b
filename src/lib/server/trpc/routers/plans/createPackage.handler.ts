import type { z } from 'zod';
import type { packageInput } from '$lib/schemas/plans';
import type { HandlerOptions } from '../../context';
import { packageView } from '../../../plans/api-shapes';
import { createPackage } from '../../../plans/catalog';

export async function createPackageHandler({ ctx, input }: HandlerOptions<z.output<typeof packageInput>>) {
	return packageView(await createPackage(ctx.db, input));
}
