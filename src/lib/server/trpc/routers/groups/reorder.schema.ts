import { z } from 'zod';

export { reorderInput } from '$lib/schemas/groups';
export const reorderOutput = z.object({ group_ids: z.array(z.number().int()) });
