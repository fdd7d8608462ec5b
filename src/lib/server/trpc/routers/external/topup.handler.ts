import type { z } from 'zod';
import { externalTopup } from '../../../external/topup';
import type { HandlerOptions } from '../../context';
import type { topupInput } from './topup.schema';

export const topupHandler = ({ ctx, input }: HandlerOptions<z.infer<typeof topupInput>>) =>
	externalTopup(ctx.db, { externalUserId: input.external_user_id, amountUsd: input.amount_usd, paymentId: input.payment_id });
