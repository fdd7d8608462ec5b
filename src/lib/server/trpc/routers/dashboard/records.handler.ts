import type { z } from 'zod';
import { readableUser } from '../../../usage/report-owner';
import { toRecord } from '../../../usage/report-shapes';
import { usageLogPage, usageLogTotals } from '../../../usage/usage-log';
import type { HandlerOptions } from '../../context';
import type { recordsInput } from './records.schema';
import { usageFilter } from './usage-filter';

export async function recordsHandler({ ctx, input }: HandlerOptions<z.infer<typeof recordsInput>>) {
	const user = await readableUser(ctx.db, ctx.user, input.user_id);
	const filter = usageFilter(user.id, input);
	const [page, totals] = await Promise.all([usageLogPage(ctx.db, filter, { after: input.after, limit: input.limit }), usageLogTotals(ctx.db, filter)]);
	return { user_id: user.id, records: page.rows.map(toRecord), next_cursor: page.nextCursor, totals };
}
