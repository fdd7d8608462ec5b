import { z } from 'zod';
import { paymentMethodSchema } from '$lib/schemas/recharge';
import { rowId } from '$lib/schemas/fields';
import { settingsOutput } from '../../../recharge/api-shapes';
import { rechargeSettingsSchema } from '../../../recharge/settings';

export const pageInput = z.object({ enterprise_id: rowId.optional() }).optional();

const fundedEnterprise = z.object({ enterpriseId: z.number().int(), name: z.string() });

/** The recharge page's data (not an HTTP route, so the page's own field names). */
export const pageOutput = z.object({
	target: fundedEnterprise.nullable().describe('the enterprise being topped up; null: the caller’s own wallet'),
	payerNow: fundedEnterprise.nullable().describe('the enterprise paying the caller’s requests now, shown while their own wallet is in arrears'),
	fundable: z.array(z.object({ id: z.number().int(), name: z.string() })),
	settings: settingsOutput,
	settingsCredits: rechargeSettingsSchema,
	tiers: z.array(z.object({ tierCredits: z.number().int(), bonusCredits: z.number().int(), eligible: z.boolean() })),
	methods: z.array(paymentMethodSchema),
	balanceCredits: z.number().int(),
	debug: z
		.object({
			configLoaded: z.boolean(),
			promotionEnabled: z.boolean(),
			userEligible: z.boolean(),
			bannerShown: z.boolean(),
			usedTierCredits: z.array(z.number().int())
		})
		.nullable()
		.describe('platform admins only')
});
