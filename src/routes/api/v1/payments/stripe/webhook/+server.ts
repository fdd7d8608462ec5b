import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { acknowledged, receiveNotification } from '$lib/server/recharge/notifications';

/** Stripe webhook: the raw body is verified against the Stripe-Signature header by the SDK. */
export const POST: RequestHandler = async ({ request, locals }) => {
	const outcome = await receiveNotification(locals.db, 'stripe', { rawBody: await request.text(), headers: request.headers });
	const ok = acknowledged(outcome);
	return json({ received: ok, result: outcome.result }, { status: ok ? 200 : 400 });
};
