import { z } from 'zod';
import { isoDateTime, rowId } from './fields';
import { MAX_CREDITS } from './metering';
import { paymentMethodSchema } from './recharge';

export const GRANT_UNITS = ['credits', 'tokens', 'images'] as const;
export type GrantUnitName = (typeof GRANT_UNITS)[number];

const count = (max = MAX_CREDITS) => z.number({ message: 'must_be_integer' }).int({ message: 'must_be_integer' }).min(0, { message: 'must_not_be_negative' }).max(max);
const name = z.string().trim().min(1, { message: 'name_required' }).max(80);
const currency = z.string().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' });

const planFields = z.object({
	name,
	/** Credits per month (10,000 = one currency unit). */
	price: count(),
	currency: currency.optional(),
	allowance_credits: count().default(0),
	allowance_tokens: count().default(0),
	allowance_images: count().default(0),
	/** Percent of each allowance that may roll into the next month; omitted = none. */
	rollover_cap_percent: z.number().int({ message: 'must_be_integer' }).min(0).max(1000).nullable().optional(),
	active: z.boolean().default(true)
});

const hasAllowance = (p: { allowance_credits: number; allowance_tokens: number; allowance_images: number }) =>
	p.allowance_credits + p.allowance_tokens + p.allowance_images > 0;

export const planInput = planFields.refine(hasAllowance, { message: 'allowance_required', path: ['allowance_tokens'] });
export type PlanInput = z.infer<typeof planInput>;

export const planUpdateInput = planFields.extend({ id: rowId }).refine(hasAllowance, { message: 'allowance_required', path: ['allowance_tokens'] });

export const subscribeInput = z.object({
	id: rowId,
	method: paymentMethodSchema,
	months: z.number().int({ message: 'must_be_integer' }).min(1).max(12).default(1),
	/** The monthly price the page showed; a different current price is refused as price_changed. */
	expected_price: count().optional()
});

export const packageInput = z
	.object({
		name,
		unit: z.enum(GRANT_UNITS),
		amount: count().min(1, { message: 'amount_positive' }),
		bonus: count().default(0),
		price: count(),
		currency: currency.optional(),
		validity_days: z.number().int({ message: 'must_be_integer' }).min(1).max(3650).nullable().optional(),
		active: z.boolean().default(true)
	})
	.refine((p) => p.bonus <= 10 * p.amount, { message: 'bonus_too_large', path: ['bonus'] });
export type PackageInput = z.infer<typeof packageInput>;

export const buyPackageInput = z.object({
	id: rowId,
	method: paymentMethodSchema,
	expected_price: count().optional()
});

export const adminGrantInput = z
	.object({
		user_id: rowId.optional(),
		enterprise_id: rowId.optional(),
		unit: z.enum(GRANT_UNITS),
		amount: z.number({ message: 'must_be_integer' }).int({ message: 'must_be_integer' }).min(1, { message: 'amount_positive' }).max(MAX_CREDITS),
		reason: z.string().trim().min(1, { message: 'reason_required' }).max(500),
		expires_at: isoDateTime.optional(),
		idempotency_key: z.string().trim().min(1).max(200)
	})
	.refine((g) => (g.user_id === undefined) !== (g.enterprise_id === undefined), { message: 'user_id_or_enterprise_id', path: ['user_id'] })
	.refine((g) => g.expires_at === undefined || g.expires_at.getTime() > Date.now(), { message: 'expires_in_past', path: ['expires_at'] });
export type AdminGrantInput = z.infer<typeof adminGrantInput>;

export const listGrantsInput = z.object({ user_id: rowId.optional(), enterprise_id: rowId.optional() });
