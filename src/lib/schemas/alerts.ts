import { z } from 'zod';
import { rowId } from './fields';

const credits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** http(s) only: the webhook is called from the server. */
export const webhookUrl = z
	.string()
	.max(2000)
	.refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), { message: 'invalid_webhook_url' });

export const alertSettingsInput = z.object({
	/** Credits; null follows the platform default; 0 turns low-balance alerts off. */
	threshold: credits.nullable(),
	webhookUrl: webhookUrl.nullable(),
	emailEnabled: z.boolean()
});

export const enterpriseThresholdInput = z.object({ enterpriseId: rowId, threshold: credits.nullable() });

export const dismissAlertInput = z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
