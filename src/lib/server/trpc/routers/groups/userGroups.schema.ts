import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { groupInOrderOutput } from './output';

export { userIdInput as userGroupsInput } from '$lib/schemas/groups';
export const userGroupsOutput = z.array(
	groupInOrderOutput.extend({
		membership_id: z.number().int(),
		priority: z.number().int().nullable()
	})
);
export const userGroupsMeta: OpenApiMeta = { openapi: { method: 'GET', path: '/groups/user/{user_id}/groups', tags: ['groups'], summary: "A user's active groups in payment order (platform admin or the user)" } };
