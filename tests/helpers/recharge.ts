import type { Db } from '../../src/lib/server/db/client';
import { receiveNotification } from '../../src/lib/server/recharge/notifications';
import type { OrderRow } from '../../src/lib/server/recharge/orders';
import { SANDBOX_SIGNATURE_HEADER, signSandboxBody } from '../../src/lib/server/recharge/providers/sandbox';

export const SANDBOX_SECRET = 'test-sandbox-secret-0123456789';

export function sandboxRequest(body: Record<string, unknown>, secret = SANDBOX_SECRET) {
	const rawBody = JSON.stringify(body);
	return { rawBody, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(rawBody, secret) }) };
}

/** The body the sandbox provider would send for this order (amount in currency units). */
export function sandboxBodyFor(order: Pick<OrderRow, 'publicId' | 'currency' | 'metadata'>, patch: Record<string, unknown> = {}) {
	const minor = (order.metadata as { charge_minor: number }).charge_minor;
	return {
		order_id: order.publicId,
		amount: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`,
		currency: order.currency,
		status: 'paid',
		payment_id: `pay_${order.publicId}`,
		...patch
	};
}

export function paySandbox(db: Db, order: OrderRow, patch: Record<string, unknown> = {}) {
	return receiveNotification(db, 'sandbox', sandboxRequest(sandboxBodyFor(order, patch)));
}
