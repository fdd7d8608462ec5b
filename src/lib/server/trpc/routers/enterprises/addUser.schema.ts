import type { OpenApiMeta } from 'trpc-to-openapi';
export { seedMemberInput as addUserInput, seedMembershipOutput as addUserOutput } from './seed-wire';
export const addUserMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/groups/id/{group_id}/add-user/{user_id}', tags: ['enterprises'], summary: 'Add a member (platform admin or an enterprises:manage key); an active member answers their existing membership' } };
