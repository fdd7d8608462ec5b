import type { z } from 'zod';
import { snakeKeys } from '../../../snake-keys';
import { money } from '../../../usage/report-shapes';
import { dailyByModel, lastDays, modelTotals, topUsers, usageTotals } from '../../../usage/reports';
import type { HandlerOptions } from '../../context';
import type { platformInput } from './platform.schema';

/** Platform totals per day and per model, and the heaviest users (admins only). */
export async function platformHandler({ ctx, input }: HandlerOptions<z.infer<typeof platformInput>>) {
	const range = lastDays(input.days);
	const platform = { userId: null };
	const [totals, daily, models, heaviest] = await Promise.all([
		usageTotals(ctx.db, platform, range),
		dailyByModel(ctx.db, platform, range),
		modelTotals(ctx.db, platform, range, 50),
		topUsers(ctx.db, range, 20)
	]);
	return { money: money(), range, totals: snakeKeys(totals), daily: daily.map(snakeKeys), models: models.map(snakeKeys), top_users: heaviest.map(snakeKeys) };
}
