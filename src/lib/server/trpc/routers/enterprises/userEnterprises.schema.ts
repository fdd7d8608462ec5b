import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { enterpriseInOrderOutput } from './output';

export { userIdInput as userEnterprisesInput } from '$lib/schemas/enterprises';
export const userEnterprisesOutput = z.array(
	enterpriseInOrderOutput.extend({
		membership_id: z.number().int(),
		priority: z.number().int().nullable()
	})
);
export const userEnterprisesMeta: OpenApiMeta = { openapi: { method: 'GET', path: '/groups/user/{user_id}/groups', tags: ['enterprises'], summary: "A user's active enterprises in payment order (platform admin or the user)" } };
