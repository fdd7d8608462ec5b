import type { OpenApiMeta } from 'trpc-to-openapi';
export { groupUserInput as removeUserInput } from '$lib/schemas/groups';
export { membershipOutput as removeUserOutput } from './output';
export const removeUserMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/groups/id/{group_id}/remove-user/{user_id}', tags: ['groups'], summary: 'Remove a member (soft delete); answers the now inactive membership' } };
