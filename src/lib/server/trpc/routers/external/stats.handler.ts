import type { z } from 'zod';
import { requireExternalUser } from '../../../external/users';
import { snakeKeys } from '../../../snake-keys';
import { dayTotals } from '../../../usage/report-shapes';
import { dailyByModel, lastDays, modelTotals, usageTotals } from '../../../usage/reports';
import type { HandlerOptions } from '../../context';
import type { statsInput } from './stats.schema';

export async function statsHandler({ ctx, input }: HandlerOptions<z.infer<typeof statsInput>>) {
	const user = await requireExternalUser(ctx.db, input.external_user_id);
	const fallback = lastDays(30);
	const range = { from: input.from ?? (input.to && input.to < fallback.from ? input.to : fallback.from), to: input.to ?? fallback.to };
	if (range.from > range.to) range.to = range.from;
	const scope = { userId: user.id };
	const [daily, models, total] = await Promise.all([dailyByModel(ctx.db, scope, range), modelTotals(ctx.db, scope, range, 1000), usageTotals(ctx.db, scope, range)]);
	return { external_user_id: input.external_user_id, ...range, total: snakeKeys(total), days: dayTotals(daily), models: models.map(snakeKeys) };
}
