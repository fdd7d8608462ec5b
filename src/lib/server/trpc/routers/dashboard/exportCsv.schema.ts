import { z } from 'zod';

export { usageCsvInput as exportCsvInput } from '$lib/schemas/dashboard';
export const exportCsvOutput = z.object({ filename: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() });
