import type { z } from 'zod';
import type { usageFilterInput } from '$lib/schemas/dashboard';
import type { UsageLogFilter } from '../../../usage/usage-log';

/** The usage-log filter a records or export request asks for; the payer is the user's own wallet or one enterprise. */
export function usageFilter(userId: number, input: z.infer<typeof usageFilterInput>): UsageLogFilter {
	const payer = input.payer_enterprise_id ?? (input.personal_only ? ('personal' as const) : undefined);
	return { userId, from: input.from, to: input.to, model: input.model, payer, apiKeyId: input.api_key_id };
}
