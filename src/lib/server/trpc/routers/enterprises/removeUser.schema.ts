import type { OpenApiMeta } from 'trpc-to-openapi';
export { seedMemberInput as removeUserInput, seedMembershipOutput as removeUserOutput } from './seed-wire';
export const removeUserMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/groups/id/{group_id}/remove-user/{user_id}', tags: ['enterprises'], summary: 'Remove a member (soft delete); answers the now inactive membership' } };
