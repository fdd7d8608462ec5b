import type { z } from 'zod';
import { utcDay } from '../../../calendar';
import { config } from '../../../config';
import { CSV_ROW_CAP, usageCsv } from '../../../usage/csv';
import { readableUser } from '../../../usage/report-owner';
import type { HandlerOptions } from '../../context';
import type { exportCsvInput } from './exportCsv.schema';
import { usageFilter } from './usage-filter';

export async function exportCsvHandler({ ctx, input }: HandlerOptions<z.infer<typeof exportCsvInput>>) {
	const user = await readableUser(ctx.db, ctx.user, input.user_id);
	const cfg = config();
	const result = await usageCsv(
		ctx.db,
		usageFilter(user.id, input),
		{ creditsPerUnit: cfg.CREDITS_PER_UNIT, currency: cfg.CURRENCY },
		CSV_ROW_CAP,
		input.header,
		input.personal_label
	);
	return { filename: `usage-${input.from ?? 'start'}_to_${input.to ?? utcDay(new Date())}.csv`, ...result };
}
