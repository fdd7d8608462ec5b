import type { HandlerOptions } from '../../context';
import { packageView } from '../../../plans/api-shapes';
import { listPackages } from '../../../plans/catalog';

export async function adminPackagesHandler({ ctx }: HandlerOptions) {
	return (await listPackages(ctx.db, { includeInactive: true })).map(packageView);
}
