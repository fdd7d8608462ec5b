import type { z } from 'zod';
import { config } from '../../../config';
import { fundsOf } from '../../../ledger/holds';
import { snakeKeys } from '../../../snake-keys';
import { readableUser, walletOf } from '../../../usage/report-owner';
import { money, toRecord } from '../../../usage/report-shapes';
import { lastDays, modelTotals, sumAmounts, thisMonth, usageTotals, userDailyByModelIn } from '../../../usage/reports';
import { usageLogPage } from '../../../usage/usage-log';
import type { HandlerOptions } from '../../context';
import type { overviewInput } from './overview.schema';

/** Everything the token-balance page shows for one user, in one call; the charts cover the last `days` days. */
export async function overviewHandler({ ctx, input }: HandlerOptions<z.infer<typeof overviewInput>>) {
	const user = await readableUser(ctx.db, ctx.user, input.user_id);
	const wallet = await walletOf(ctx.db, { userId: user.id });
	const scope = { userId: user.id };
	const now = new Date();
	const timeZone = ctx.timeZone ?? config().BILLING_TIMEZONE;
	const range = lastDays(input.days, now, timeZone);
	const funds = (await fundsOf(ctx.db, [wallet.id], now)).get(wallet.id);
	const [daily, top, month, allTime, recent] = await Promise.all([
		userDailyByModelIn(ctx.db, user.id, range, timeZone),
		modelTotals(ctx.db, scope, thisMonth(now), 5),
		usageTotals(ctx.db, scope, thisMonth(now)),
		usageTotals(ctx.db, scope, null),
		usageLogPage(ctx.db, { userId: user.id }, { limit: 10 })
	]);
	// The wallet's own low-balance alert threshold (it follows LOW_BALANCE_CREDITS unless its owner set one; 0 = off).
	const threshold = wallet.alertThreshold;
	return {
		user,
		money: money(),
		balance: wallet.balance,
		in_arrears: wallet.balance < 0,
		low_balance: threshold > 0 && wallet.balance >= 0 && wallet.balance < threshold,
		low_balance_threshold: threshold,
		held: funds?.held ?? 0,
		available: funds?.available ?? wallet.balance,
		today: snakeKeys(sumAmounts(daily.filter((d) => d.day === range.to))),
		month: snakeKeys(month),
		all_time: snakeKeys(allTime),
		range,
		time_zone: timeZone,
		daily: daily.map(snakeKeys),
		top_models: top.map(snakeKeys),
		recent: recent.rows.map(toRecord)
	};
}
