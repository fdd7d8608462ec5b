import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';

const creditGroupOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	admin_id: z.number().int().nullable(),
	admin_name: z.string().nullable(),
	admin_credit: z.number().int()
});

export const adminCreditInput = z.void();
export const adminCreditOutput = creditGroupOutput.omit({ id: true, name: true }).extend({
	user_credit: z.number().int(),
	admin_credit: z.number().int().nullable(),
	group_id: z.number().int().nullable(),
	group_name: z.string().nullable(),
	groups: z.array(creditGroupOutput)
});
export const adminCreditMeta: OpenApiMeta = { openapi: { method: 'GET', path: '/groups/admin-credit', tags: ['groups'], summary: "The caller's balance, primary group and every active group's wallet" } };
