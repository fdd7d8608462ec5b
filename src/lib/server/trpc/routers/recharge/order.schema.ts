import { z } from 'zod';
import { orderOutput } from '../../../recharge/api-shapes';

export const orderWithWalletOutput = orderOutput.extend({
	balance_credits: z.number().int().nullable().describe("the paying-into wallet's balance now (your own orders only)"),
	enterprise_name: z.string().nullable().describe('the enterprise whose wallet the order tops up; null: a personal wallet')
});
