/** The recharge API's answer shapes (zod, snake_case) and the converters from rows to them. */
import { z } from 'zod';
import { config } from '../config';
import type { OrderRow } from './orders';
import type { RechargeSettings } from './settings';
import { creditsToUnits } from '$lib/money';

/** Credits in the display currency's units (CREDITS_PER_UNIT). */
export const units = (credits: number) => creditsToUnits(credits, config().CREDITS_PER_UNIT);

export const orderOutput = z.object({
	id: z.string(),
	amount: z.number().describe('currency units'),
	amount_credits: z.number().int(),
	bonus_credits: z.number().int(),
	tier_amount: z.number().nullable().describe('currency units, when the amount is a preset tier'),
	currency: z.string().describe('the currency the provider charges in'),
	charge_minor: z.number().int().nullable().describe('what the provider charges, in minor units of currency'),
	method: z.string(),
	status: z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']),
	kind: z.enum(['recharge', 'plan', 'package']).describe('recharge: credits; plan: months of a plan; package: a package of credits, tokens or images'),
	item: z
		.object({
			name: z.string(),
			months: z.number().int().nullable(),
			unit: z.enum(['credits', 'tokens', 'images']).nullable(),
			amount: z.number().int().nullable(),
			bonus: z.number().int().nullable()
		})
		.nullable()
		.describe('what a plan or package order buys (null for a recharge)'),
	late: z.boolean(),
	enterprise_id: z.number().int().nullable(),
	provider_payment_id: z.string().nullable(),
	checkout_url: z.string().nullable(),
	user_email: z.string().optional(),
	created_at: z.date(),
	expires_at: z.date(),
	paid_at: z.date().nullable(),
	refunded_at: z.date().nullable(),
	refund_reason: z.string().nullable()
});
export type OrderView = z.infer<typeof orderOutput>;

export function orderView(o: OrderRow, email?: string, now = new Date()): OrderView {
	const meta = (o.metadata ?? {}) as { charge_minor?: number; checkout_url?: string; enterprise_id?: number | null };
	const expired = o.status === 'pending' && o.expiresAt.getTime() < now.getTime();
	return {
		id: o.publicId,
		amount: units(o.amount),
		amount_credits: o.amount,
		bonus_credits: o.bonusAmount,
		tier_amount: o.tierAmount === null ? null : units(o.tierAmount),
		currency: o.currency,
		charge_minor: meta.charge_minor ?? null,
		method: o.provider,
		status: expired ? 'expired' : o.status,
		kind: o.kind,
		item: itemOf(o),
		late: o.lateFlag,
		enterprise_id: meta.enterprise_id ?? null,
		provider_payment_id: o.providerPaymentId,
		checkout_url: o.status === 'pending' && !expired ? (meta.checkout_url ?? null) : null,
		...(email === undefined ? {} : { user_email: email }),
		created_at: o.createdAt,
		expires_at: o.expiresAt,
		paid_at: o.paidAt,
		refunded_at: o.refundedAt,
		refund_reason: o.refundReason
	};
}

export const settingsOutput = z.object({
	tiers: z.array(z.number()).describe('currency units'),
	bonus_rate_bp: z.number().int(),
	bonus_cap: z.number(),
	enabled: z.boolean(),
	custom_min: z.number(),
	custom_max: z.number(),
	order_ttl_minutes: z.number().int(),
	credits_per_unit: z.number().int(),
	currency: z.string()
});

export function settingsView(s: RechargeSettings): z.infer<typeof settingsOutput> {
	return {
		tiers: s.tiers.map(units),
		bonus_rate_bp: s.bonusRateBp,
		bonus_cap: units(s.bonusCapCredits),
		enabled: s.enabled,
		custom_min: units(s.customMinCredits),
		custom_max: units(s.customMaxCredits),
		order_ttl_minutes: s.orderTtlMinutes,
		credits_per_unit: config().CREDITS_PER_UNIT,
		currency: config().CURRENCY
	};
}

function itemOf(o: OrderRow): OrderView['item'] {
	if (o.kind === 'recharge') return null;
	const m = (o.metadata ?? {}) as { plan_name?: string; months?: number; package_name?: string; unit?: 'credits' | 'tokens' | 'images'; amount?: number; bonus?: number };
	if (o.kind === 'plan') return { name: m.plan_name ?? '', months: m.months ?? null, unit: null, amount: null, bonus: null };
	return { name: m.package_name ?? '', months: null, unit: m.unit ?? null, amount: m.amount ?? null, bonus: m.bonus ?? null };
}
