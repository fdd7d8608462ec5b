import { and, eq } from 'drizzle-orm';
import { unitsToCredits } from '$lib/money';
import type { Db } from '../db/client';
import { ledgerEntries, orders } from '../db/schema';
import { config } from '../config';
import { userWalletId } from '../ledger/wallets';
import { confirmPayment, recordPaymentEvent } from '../recharge/confirm-payment';
import { newPublicId } from '../recharge/orders';
import { requireExternalUser } from './users';

export const EXTERNAL_PROVIDER = 'external';

/** The same payment_id came with another amount or for another user; logged in payment_events. */
export class PaymentIdConflictError extends Error {}
/** USD_RATE_CREDITS does not turn this amount into whole credits. */
export class AmountNotConvertibleError extends Error {}

export interface TopupResult {
	order_id: string;
	payment_id: string;
	external_user_id: string;
	amount_usd: string;
	credits: number;
	balance_after: number;
}

/** "12.3" → 1230: the amount in cents, from text already checked to have at most two decimals. */
export function usdCents(amount: string): number {
	const [whole, fraction = ''] = amount.split('.');
	return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function centsText(cents: number): string {
	return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * Credits a platform's payment to its user exactly once per payment_id: a paid order with
 * provider `external` (so it appears in history, admin orders, refunds and reports), confirmed
 * by the same path as every provider's notification (confirm-payment.ts, ledger key
 * `order:<id>:amount`). The unique (provider, provider_payment_id) index decides races: every
 * caller after the first meets the same order, and the order's row lock lets one credit it.
 */
export async function externalTopup(
	db: Db,
	input: { externalUserId: string; amountUsd: string; paymentId: string },
	now = new Date()
): Promise<TopupResult> {
	const user = await requireExternalUser(db, input.externalUserId);
	const cents = usdCents(input.amountUsd);
	const credits = unitsToCredits(input.amountUsd, config().USD_RATE_CREDITS);
	if (credits === null || credits <= 0) throw new AmountNotConvertibleError(input.amountUsd);
	const walletId = await userWalletId(db, user.id);

	const [inserted] = await db
		.insert(orders)
		.values({
			publicId: newPublicId(now, 'X'),
			userId: user.id,
			walletId,
			amount: credits,
			currency: 'USD',
			tierAmount: null,
			provider: EXTERNAL_PROVIDER,
			providerPaymentId: input.paymentId,
			// Confirmed in the next statement; a retry after a crash between the two still finds it pending.
			expiresAt: new Date(now.getTime() + 60 * 60_000),
			metadata: { charge_minor: cents, external_user_id: input.externalUserId }
		})
		.onConflictDoNothing({ target: [orders.provider, orders.providerPaymentId] })
		.returning();
	const order =
		inserted ??
		(await db.select().from(orders).where(and(eq(orders.provider, EXTERNAL_PROVIDER), eq(orders.providerPaymentId, input.paymentId))))[0];
	const chargedCents = (order.metadata as { charge_minor?: number } | null)?.charge_minor;
	if (order.userId !== user.id || chargedCents !== cents) {
		await recordPaymentEvent(
			db,
			EXTERNAL_PROVIDER,
			order.publicId,
			'payment_id_conflict',
			`payment ${input.paymentId}: first ${chargedCents} cents for user ${order.userId}, now ${cents} cents for user ${user.id}`
		);
		throw new PaymentIdConflictError(input.paymentId);
	}

	const outcome = await confirmPayment(
		db,
		EXTERNAL_PROVIDER,
		{ order_public_id: order.publicId, payment_id: input.paymentId, amount_minor: cents, currency: 'USD', status: 'paid' },
		now
	);
	if (outcome.result !== 'credited' && outcome.result !== 'replay') throw new Error(`external top-up not credited: ${JSON.stringify(outcome)}`);
	const [entry] = await db
		.select({ balanceAfter: ledgerEntries.balanceAfter })
		.from(ledgerEntries)
		.where(eq(ledgerEntries.idempotencyKey, `order:${order.id}:amount`));
	return {
		order_id: order.publicId,
		payment_id: input.paymentId,
		external_user_id: input.externalUserId,
		amount_usd: centsText(cents),
		credits: order.amount,
		balance_after: entry.balanceAfter
	};
}
