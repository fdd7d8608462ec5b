import type { z } from 'zod';
import { snakeKeys } from '../../../snake-keys';
import { readableWallet } from '../../../usage/report-owner';
import { money } from '../../../usage/report-shapes';
import { walletHistory } from '../../../usage/wallet-history';
import type { HandlerOptions } from '../../context';
import type { walletHistoryInput } from './walletHistory.schema';

export async function walletHistoryHandler({ ctx, input }: HandlerOptions<z.infer<typeof walletHistoryInput>>) {
	const wallet = await readableWallet(ctx.db, ctx.user, { userId: input.user_id, enterpriseId: input.enterprise_id });
	const page = await walletHistory(ctx.db, wallet.id, { before: input.before, limit: input.limit });
	return { wallet_id: wallet.id, balance: wallet.balance, money: money(), entries: page.rows.map(snakeKeys), next_cursor: page.nextCursor };
}
