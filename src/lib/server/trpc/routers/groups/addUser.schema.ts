import type { OpenApiMeta } from 'trpc-to-openapi';
export { groupUserInput as addUserInput } from '$lib/schemas/groups';
export { membershipOutput as addUserOutput } from './output';
export const addUserMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/groups/id/{group_id}/add-user/{user_id}', tags: ['groups'], summary: 'Add a member (platform admin or a groups:manage key); an active member answers their existing membership' } };
