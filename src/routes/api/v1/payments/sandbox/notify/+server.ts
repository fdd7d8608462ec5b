import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { acknowledged, receiveNotification } from '$lib/server/recharge/notifications';

/** Sandbox callback: JSON body signed with X-Sandbox-Signature (hex HMAC-SHA256 of the raw body). */
export const POST: RequestHandler = async ({ request, locals }) => {
	const outcome = await receiveNotification(locals.db, 'sandbox', { rawBody: await request.text(), headers: request.headers });
	const ok = acknowledged(outcome);
	const status = ok ? 200 : outcome.result === 'rejected' && outcome.reason === 'bad_signature' ? 401 : 400;
	return json({ ok, result: outcome.result, ...('reason' in outcome ? { reason: outcome.reason } : {}) }, { status });
};
