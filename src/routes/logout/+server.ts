import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { clearSessionCookie, invalidateSession } from '$lib/server/auth/session';

export const POST: RequestHandler = async ({ locals, cookies, url }) => {
	if (locals.sessionId) await invalidateSession(locals.db, locals.sessionId);
	clearSessionCookie(cookies, url.protocol === 'https:');
	redirect(303, '/login');
};
