import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db } from '../db/client';
import { confirmPayment, recordPaymentEvent, type ConfirmOutcome } from './confirm-payment';
import { paymentProvider } from './providers/registry';
import type { IncomingNotification, NotificationRefusal } from './providers/types';

export type NotificationOutcome = ConfirmOutcome | { result: 'rejected'; reason: NotificationRefusal | 'provider_disabled' };

/** Every provider callback (and the sandbox checkout page) comes through here: verify, then confirm. */
export async function receiveNotification(db: Db, providerId: PaymentMethod, request: IncomingNotification): Promise<NotificationOutcome> {
	const provider = await paymentProvider(db, providerId);
	if (!provider) return { result: 'rejected', reason: 'provider_disabled' };
	const verified = await provider.verifyNotification(request);
	if (!verified.ok) {
		if (verified.reason !== 'ignored') await recordPaymentEvent(db, providerId, null, verified.reason, verified.detail);
		return { result: 'rejected', reason: verified.reason };
	}
	try {
		return await confirmPayment(db, providerId, verified.notice);
	} catch (err) {
		// The same provider payment id already paid a different order: credit nothing, tell the admins.
		const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
		if (code !== '23505') throw err;
		await recordPaymentEvent(db, providerId, verified.notice.order_public_id, 'other_payment', `payment id ${verified.notice.payment_id} already used`);
		return { result: 'refused', reason: 'other_payment' };
	}
}

/** Whether the provider should stop retrying: done, replayed, or nothing to do. */
export function acknowledged(outcome: NotificationOutcome): boolean {
	return outcome.result === 'credited' || outcome.result === 'replay' || outcome.result === 'failed' || (outcome.result === 'rejected' && outcome.reason === 'ignored');
}
