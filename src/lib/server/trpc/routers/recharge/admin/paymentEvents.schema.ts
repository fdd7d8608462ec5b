import { z } from 'zod';

export const paymentEventsInput = z.object({ limit: z.number().int().min(1).max(500).default(100) });

export const paymentEventsOutput = z.array(
	z.object({ id: z.number().int(), provider: z.string(), order_id: z.string().nullable(), outcome: z.string(), detail: z.string().nullable(), created_at: z.date() })
);
