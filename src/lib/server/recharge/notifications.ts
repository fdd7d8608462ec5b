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
	return confirmPayment(db, providerId, verified.notice);
}

/** Whether the provider should stop retrying: done, replayed, or nothing to do. */
export function acknowledged(outcome: NotificationOutcome): boolean {
	return outcome.result === 'credited' || outcome.result === 'replay' || outcome.result === 'failed' || (outcome.result === 'rejected' && outcome.reason === 'ignored');
}
