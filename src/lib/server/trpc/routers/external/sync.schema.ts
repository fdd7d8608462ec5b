import { externalMeta } from './procedure';
import { z } from 'zod';
import { userOutput } from './output';

export { syncInput } from '$lib/schemas/external';
export const syncOutput = userOutput.extend({ created: z.boolean() });
export const syncMeta = externalMeta('POST', '/sync', 'Create or update a platform user by external_user_id; the welcome grant once on creation; a repeat changes nothing');
