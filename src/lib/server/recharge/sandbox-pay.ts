import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders } from '../db/schema';
import { notFound } from '../errors';
import { receiveNotification } from './notifications';
import { sandboxSecret, SANDBOX_SIGNATURE_HEADER, signSandboxBody } from './providers/sandbox';
import { minorToDecimal } from './providers/types';

/**
 * What the sandbox checkout page's "pay" / "fail" buttons do (and the demo data's paid order):
 * build the notification a payment provider would send for order `publicId`, sign it with the
 * sandbox secret, and hand it to the same receiver the HTTP callback uses, which pays the order
 * (or marks it failed).
 */
export async function notifySandboxPayment(db: Db, publicId: string, status: 'paid' | 'failed') {
	const [order] = await db.select().from(orders).where(eq(orders.publicId, publicId));
	if (!order) throw notFound('order_not_found');
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
