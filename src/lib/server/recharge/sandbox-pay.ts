import type { Db } from '../db/client';
import { receiveNotification } from './notifications';
import type { OrderRow } from './orders';
import { sandboxSecret, SANDBOX_SIGNATURE_HEADER, signSandboxBody } from './providers/sandbox';
import { minorToDecimal } from './providers/types';

/**
 * What the sandbox checkout page's "pay" / "fail" buttons do: build the notification a
 * payment provider would send, sign it with the sandbox secret, and hand it to the same
 * receiver the HTTP callback uses.
 */
export async function settleSandboxOrder(db: Db, order: OrderRow, status: 'paid' | 'failed') {
	const secret = await sandboxSecret(db);
	if (!secret) return { result: 'rejected', reason: 'provider_disabled' } as const;
	const chargeMinor = (order.metadata as { charge_minor?: number } | null)?.charge_minor ?? 0;
	const rawBody = JSON.stringify({
		order_id: order.publicId,
		amount: minorToDecimal(chargeMinor),
		currency: order.currency,
		status,
		payment_id: `sbx_${order.publicId}`
	});
	const headers = new Headers({ 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(rawBody, secret) });
	return receiveNotification(db, 'sandbox', { rawBody, headers });
}
