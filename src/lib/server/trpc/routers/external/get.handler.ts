import type { z } from 'zod';
import { creditsToUsdText } from '../../../external/usd';
import { requireExternalUser } from '../../../external/users';
import { availableBalance } from '../../../usage/capacity';
import { usageTotals } from '../../../usage/reports';
import type { HandlerOptions } from '../../context';
import type { getInput } from './get.schema';
import { toUserOutput } from './output';

export async function getHandler({ ctx, input }: HandlerOptions<z.infer<typeof getInput>>) {
	const user = await requireExternalUser(ctx.db, input.external_user_id);
	const [available, used] = await Promise.all([availableBalance(ctx.db, user.id), usageTotals(ctx.db, { userId: user.id }, null)]);
	return {
		...toUserOutput(user),
		balance: { credits: available, usd: creditsToUsdText(available) },
		used: { credits: used.cost, requests: used.requests },
		plan: null
	};
}
