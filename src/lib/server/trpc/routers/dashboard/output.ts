import { z } from 'zod';

/** Answer shapes several dashboard procedures share; the usage ones are in usage/report-shapes.ts. */
export const personOutput = z.object({ id: z.number().int(), name: z.string(), email: z.string() });
export const dayRangeOutput = z.object({ from: z.string(), to: z.string() });
