import type { z } from 'zod';
import { monthKey, monthStart } from '../../../calendar';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { enterpriseReport } from '../../../enterprises/reports';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { reportInput } from './report.schema';

export async function reportHandler({ ctx, input }: HandlerOptions<z.infer<typeof reportInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	const at = input.month ? monthStart(input.month) : new Date();
	return { month: monthKey(at), rows: (await enterpriseReport(ctx.db, input.enterprise_id, at)).map(snakeKeys) };
}
