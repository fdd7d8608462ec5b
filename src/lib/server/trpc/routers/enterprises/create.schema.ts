import type { OpenApiMeta } from 'trpc-to-openapi';
export { createEnterpriseInput as createInput } from '$lib/schemas/enterprises';
export { enterpriseOutput as createOutput } from './output';
export const createMeta: OpenApiMeta = { openapi: { method: 'POST', path: '/enterprises/create', tags: ['enterprises'], summary: 'Create an enterprise with its wallet and admins (platform admin)' } };
