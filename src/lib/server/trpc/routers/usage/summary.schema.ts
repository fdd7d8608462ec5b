import { z } from 'zod';
import { allowanceSummaryOutput } from '../../../plans/allowance-summary';

const totals = z.object({ requests: z.number(), input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number(), cost: z.number() });

export const summaryOutput = z
	.object({ token_balance: z.number().int(), in_arrears: z.boolean(), today: totals, this_month: totals, all_time: totals })
	.extend(allowanceSummaryOutput.shape);
