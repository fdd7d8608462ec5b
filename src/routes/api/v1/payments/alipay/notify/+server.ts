import type { RequestHandler } from './$types';
import { acknowledged, receiveNotification } from '$lib/server/recharge/notifications';

/** Alipay async notify: form-urlencoded, answered with the plain text Alipay expects ("success" stops its retries). */
export const POST: RequestHandler = async ({ request, locals }) => {
	const outcome = await receiveNotification(locals.db, 'alipay', { rawBody: await request.text(), headers: request.headers });
	return new Response(acknowledged(outcome) ? 'success' : 'fail', { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
