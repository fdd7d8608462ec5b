import { externalMeta } from './procedure';
import { z } from 'zod';

export { tokenInput } from '$lib/schemas/external';
export const tokenOutput = z.object({ id: z.number().int(), name: z.string(), prefix: z.string(), key: z.string(), expires_at: z.date().nullable() });
export const tokenMeta = externalMeta('POST', '/token', 'A new API key for the user (default 365 days); the secret `key` is shown only in this answer');
