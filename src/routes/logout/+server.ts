import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { clearSessionCookie, invalidateSession, servedOverHttps } from '$lib/server/auth/session';
import { config } from '$lib/server/config';

export const POST: RequestHandler = async ({ locals, cookies, request }) => {
	if (locals.sessionId) await invalidateSession(locals.db, locals.sessionId);
	clearSessionCookie(cookies, servedOverHttps(request, config().ORIGIN));
	redirect(303, '/login');
};
