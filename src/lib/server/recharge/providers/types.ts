import type { PaymentMethod } from '$lib/schemas/recharge';

/** What a provider needs to open a checkout for an order. */
export interface CheckoutOrder {
	publicId: string;
	/** Amount to charge in the currency's minor unit (fen, cents). */
	chargeMinor: number;
	currency: string;
	description: string;
	/** This instance's public origin ('' when ORIGIN is not configured: the sandbox then answers a path). */
	origin: string;
	/** Absolute URLs on this instance. */
	returnUrl: string;
	notifyUrl: string;
}

/** A provider's callback reduced to what the confirmation needs. */
export interface PaymentNotice {
	order_public_id: string;
	amount_minor: number;
	currency: string;
	status: 'paid' | 'failed';
	payment_id: string;
}

export type NotificationRefusal = 'bad_signature' | 'malformed' | 'ignored';

export type Verification = { ok: true; notice: PaymentNotice } | { ok: false; reason: NotificationRefusal; detail?: string };

export interface IncomingNotification {
	rawBody: string;
	headers: Headers;
}

export interface PaymentProvider {
	id: PaymentMethod;
	/** The currency this provider charges in. */
	currency: string;
	createCheckout(order: CheckoutOrder): Promise<{ checkout_url: string }>;
	verifyNotification(request: IncomingNotification): Promise<Verification>;
}

/** "10.00" or 10.5 → 1050 minor units, exactly; null for anything else. */
export function decimalToMinor(value: unknown): number | null {
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(String(value).trim());
	if (!match) return null;
	return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function minorToDecimal(minor: number): string {
	return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}
