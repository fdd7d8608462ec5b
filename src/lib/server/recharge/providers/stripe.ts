import Stripe from 'stripe';
import type { PaymentProvider } from './types';

const PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/** Stripe Checkout Sessions, charged in USD; the webhook is verified by the SDK's signature check. */
export function stripeProvider(secretKey: string, webhookSecret: string): PaymentProvider {
	const stripe = new Stripe(secretKey);
	return {
		id: 'stripe',
		currency: 'USD',
		async createCheckout(order) {
			const session = await stripe.checkout.sessions.create({
				mode: 'payment',
				client_reference_id: order.publicId,
				metadata: { order_public_id: order.publicId },
				line_items: [
					{
						quantity: 1,
						price_data: { currency: 'usd', unit_amount: order.chargeMinor, product_data: { name: order.description } }
					}
				],
				success_url: order.returnUrl,
				cancel_url: order.returnUrl
			});
			if (!session.url) throw new Error('Stripe returned a session without a URL');
			return { checkout_url: session.url };
		},
		async verifyNotification({ rawBody, headers }) {
			const signature = headers.get('stripe-signature');
			if (!signature) return { ok: false, reason: 'bad_signature' };
			let event: Stripe.Event;
			try {
				event = await stripe.webhooks.constructEventAsync(rawBody, signature, webhookSecret);
			} catch (err) {
				return { ok: false, reason: 'bad_signature', detail: (err as Error).message.slice(0, 200) };
			}
			if (!PAID_EVENTS.has(event.type)) return { ok: false, reason: 'ignored', detail: event.type };
			const session = event.data.object as Stripe.Checkout.Session;
			const orderId = session.client_reference_id ?? session.metadata?.order_public_id;
			if (session.payment_status !== 'paid') return { ok: false, reason: 'ignored', detail: `payment_status ${session.payment_status}` };
			if (!orderId || session.amount_total === null || !session.currency) return { ok: false, reason: 'malformed' };
			return {
				ok: true,
				notice: {
					order_public_id: orderId,
					amount_minor: session.amount_total,
					currency: session.currency.toUpperCase(),
					status: 'paid',
					payment_id: session.id
				}
			};
		}
	};
}
