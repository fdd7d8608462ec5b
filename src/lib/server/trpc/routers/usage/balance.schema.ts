import { z } from 'zod';
import { allowanceSummaryOutput } from '../../../plans/allowance-summary';

export const balanceOutput = z.object({ token_balance: z.number().int(), in_arrears: z.boolean() }).extend(allowanceSummaryOutput.shape);
