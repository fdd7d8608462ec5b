import { z } from 'zod';

export const cancelInput = z.object({});

export const cancelOutput = z.object({ cancelled: z.number().int() });
