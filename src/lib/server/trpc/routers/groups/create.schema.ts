import type { OpenApiMeta } from 'trpc-to-openapi';
export { createGroupInput as createInput } from '$lib/schemas/groups';
export { groupOutput as createOutput } from './output';
export const createMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/groups/create', tags: ['groups'], summary: 'Create an enterprise with its wallet and admins (platform admin)' } };
