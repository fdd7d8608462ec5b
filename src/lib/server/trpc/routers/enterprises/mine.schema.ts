import { z } from 'zod';
import { enterpriseInOrderOutput } from './output';

export const mineInput = z.void();
export const mineOutput = z.array(
	enterpriseInOrderOutput.extend({
		balance: z.number().int(),
		admin_name: z.string().nullable(),
		spent_this_month: z.number().int(),
		limit_left: z.number().int().nullable(),
		can_pay: z.boolean(),
		is_primary: z.boolean()
	})
);
