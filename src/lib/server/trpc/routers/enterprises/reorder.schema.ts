import { z } from 'zod';

export { reorderInput } from '$lib/schemas/enterprises';
export const reorderOutput = z.object({ enterprise_ids: z.array(z.number().int()) });
