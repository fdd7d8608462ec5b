/** The plans API's answer shapes (zod, snake_case) and the converters from rows to them. */
import { z } from 'zod';
import { GRANT_UNITS } from '$lib/schemas/plans';
import type { PackageRow, PlanRow } from './catalog';

const unit = z.enum(GRANT_UNITS);

export const planOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	price: z.number().int().describe('credits per month'),
	currency: z.string(),
	period: z.literal('monthly'),
	allowance_credits: z.number().int(),
	allowance_tokens: z.number().int(),
	allowance_images: z.number().int(),
	rollover_cap_percent: z.number().int().nullable(),
	active: z.boolean()
});

export const packageOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	unit,
	amount: z.number().int(),
	bonus: z.number().int(),
	price: z.number().int().describe('credits'),
	currency: z.string(),
	validity_days: z.number().int().nullable(),
	active: z.boolean()
});

export const grantOutput = z.object({
	id: z.number().int(),
	wallet_id: z.number().int(),
	source: z.string(),
	unit,
	original: z.number().int(),
	remaining: z.number().int(),
	expires_at: z.date().nullable(),
	reason: z.string().nullable(),
	created_at: z.date()
});

export function planView(p: PlanRow): z.infer<typeof planOutput> {
	return {
		id: p.id,
		name: p.name,
		price: p.price,
		currency: p.currency,
		period: p.period,
		allowance_credits: p.allowanceCredits,
		allowance_tokens: p.allowanceTokens,
		allowance_images: p.allowanceImages,
		rollover_cap_percent: p.rolloverCapPercent,
		active: p.active
	};
}

export function packageView(p: PackageRow): z.infer<typeof packageOutput> {
	return { id: p.id, name: p.name, unit: p.unit, amount: p.amount, bonus: p.bonus, price: p.price, currency: p.currency, validity_days: p.validityDays, active: p.active };
}

export function grantView(g: {
	id: number;
	walletId: number;
	source: string;
	unit: z.infer<typeof unit>;
	original: number;
	remaining: number;
	expiresAt: Date | null;
	memo: string | null;
	createdAt: Date;
}): z.infer<typeof grantOutput> {
	return { id: g.id, wallet_id: g.walletId, source: g.source, unit: g.unit, original: g.original, remaining: g.remaining, expires_at: g.expiresAt, reason: g.memo, created_at: g.createdAt };
}
