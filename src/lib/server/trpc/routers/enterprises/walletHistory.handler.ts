import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../enterprises/access';
import { enterpriseWalletHistory } from '../../../enterprises/enterprises';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { walletHistoryInput } from './walletHistory.schema';

export async function walletHistoryHandler({ ctx, input }: HandlerOptions<z.infer<typeof walletHistoryInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return (await enterpriseWalletHistory(ctx.db, input.enterprise_id, input.limit, input.before_id)).map(snakeKeys);
}
