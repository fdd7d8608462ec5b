import type { z } from 'zod';
import { requireGroupAdmin } from '../../../groups/access';
import { groupWalletHistory } from '../../../groups/groups';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { walletHistoryInput } from './walletHistory.schema';

export async function walletHistoryHandler({ ctx, input }: HandlerOptions<z.infer<typeof walletHistoryInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return (await groupWalletHistory(ctx.db, input.group_id, input.limit, input.before_id)).map(snakeKeys);
}
