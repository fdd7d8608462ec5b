import type { z } from 'zod';
import { monthKey, monthStart } from '../../../calendar';
import { requireGroupAdmin } from '../../../groups/access';
import { groupReport } from '../../../groups/reports';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { reportInput } from './report.schema';

export async function reportHandler({ ctx, input }: HandlerOptions<z.infer<typeof reportInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	const at = input.month ? monthStart(input.month) : new Date();
	return { month: monthKey(at), rows: (await groupReport(ctx.db, input.group_id, at)).map(snakeKeys) };
}
