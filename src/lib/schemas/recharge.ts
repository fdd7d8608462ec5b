import { z } from 'zod';
import { isoDateTime, pageLimit, rowId } from './fields';

/** A currency amount with at most two decimals (100, "99.5"); converted to credits exactly on the server. */
export const amountUnits = z
	.union([z.number(), z.string()])
	.transform((v) => String(v).trim())
	.pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'amount_format' }));

export const paymentMethods = ['sandbox', 'stripe', 'alipay'] as const;
export const paymentMethodSchema = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const createOrderInput = z.object({
	amount: amountUnits,
	method: paymentMethodSchema,
	enterprise_id: rowId.optional()
});

export const orderIdInput = z.object({ id: z.string().trim().min(1).max(64) });

export const listOrdersInput = z.object({
	search: z.string().trim().max(100).optional(),
	status: z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']).optional(),
	/** Orders created at or after `from` and before `to`. */
	from: isoDateTime.optional(),
	to: isoDateTime.optional(),
	/** Admins only (with all=true): one user's orders. */
	user_id: rowId.optional(),
	/** Admins only: every user's orders instead of their own. */
	all: z.boolean().optional(),
	/** Only the orders into this enterprise's wallet (its admins: every admin's orders). */
	enterprise_id: rowId.optional(),
	/** Only the orders into the caller's own wallet. */
	personal: z.boolean().optional(),
	limit: pageLimit(200, 50)
});

export const rechargeSettingsInput = z.object({
	tiers: z.array(amountUnits).min(1, { message: 'tiers_required' }).max(12),
	bonus_rate_bp: z.number().int().min(0).max(10_000),
	bonus_cap: amountUnits,
	enabled: z.boolean(),
	custom_min: amountUnits,
	custom_max: amountUnits,
	order_ttl_minutes: z.number().int().min(1).max(10_080)
});

export const refundInput = z.object({
	id: z.string().trim().min(1).max(64),
	/** Give the tier's first-recharge bonus back to the user (the bonus log row is removed). */
	restore_eligibility: z.boolean().default(false),
	/** Why: kept on the order and as the memo of the refund entries. */
	reason: z.string().trim().min(1, { message: 'reason_required' }).max(500).optional()
});
