import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { validateApiKey } from '$lib/server/auth/api-keys';
import { servedOverHttps, SESSION_COOKIE, setSessionCookie, validateSessionToken } from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { crossSiteFormPost } from '$lib/server/csrf';
import { compressResponse } from '$lib/server/http/compress';
import { withSecurityHeaders } from '$lib/server/http/security-headers';
import { bearerOf, invalidApiKeyResponse } from '$lib/server/http/bearer';
import { registerMeteringServer } from '$lib/server/http/metering-server';
import { boot, exitOnBootFailure } from '$lib/server/boot';
import { startJobs } from '$lib/server/jobs/queue';
import { appDatabase, setAppDatabase } from '$lib/server/db/instance';
import { noteDatabaseFailure, withDatabaseOutage } from '$lib/server/db/outage-response';
import { LOCALE_COOKIE, pickLocale } from '$lib/i18n';
import { requestIdOf } from '$lib/server/request-id';
import { logInternalError } from '$lib/server/trpc/errors';

export const init: ServerInit = async () => {
	try {
		const opened = await boot();
		setAppDatabase(opened);
		registerMeteringServer();
		const jobs = await startJobs(opened, { schedule: config().EXPIRY_SCHEDULE });
		process.once('sveltekit:shutdown', () => void jobs.stop().finally(() => opened.shutdown()));
	} catch (err) {
		exitOnBootFailure(err);
	}
};

/** Outermost: security headers on every answer, text answers compressed. */
const handleResponseHeaders: Handle = async ({ event, resolve }) => withSecurityHeaders(await compressResponse(event.request, await resolve(event)));

/** The request id every log line and error answer carries, echoed as `x-request-id`. */
const handleRequestId: Handle = async ({ event, resolve }) => {
	event.locals.requestId = requestIdOf(event.request);
	const response = await resolve(event);
	response.headers.set('x-request-id', event.locals.requestId);
	return response;
};

/** 503 at once while the database is known to be down, and for a request that failed on it. */
const handleDatabaseOutage: Handle = withDatabaseOutage(({ event, resolve }) => resolve(event));

const handleCsrf: Handle = ({ event, resolve }) => {
	if (crossSiteFormPost(event.request, event.url)) {
		return new Response('Cross-site POST form submissions are forbidden', { status: 403, headers: { 'x-request-id': event.locals.requestId } });
	}
	return resolve(event);
};

/** A bearer API key (a bad one is 401 at once) or the session cookie → `locals.user` / `apiKey` / `sessionId`. */
const handleAuth: Handle = async ({ event, resolve }) => {
	const db = appDatabase().db;
	event.locals.db = db;
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.apiKey = null;

	const bearer = bearerOf(event.request.headers.get('authorization'));
	if (bearer) {
		const valid = await validateApiKey(db, bearer);
		if (!valid) return invalidApiKeyResponse(event.locals.requestId);
		event.locals.user = valid.user;
		event.locals.apiKey = valid.key;
	} else {
		const token = event.cookies.get(SESSION_COOKIE);
		if (token) {
			const session = await validateSessionToken(db, token);
			if (session) {
				event.locals.user = session.user;
				event.locals.sessionId = session.sessionId;
				setSessionCookie(event.cookies, token, session.expiresAt, servedOverHttps(event.request, config().ORIGIN));
			} else {
				event.cookies.delete(SESSION_COOKIE, { path: '/' });
			}
		}
	}
	return resolve(event);
};

const handleLocale: Handle = ({ event, resolve }) => {
	event.locals.locale = pickLocale(event.cookies.get(LOCALE_COOKIE), event.locals.user?.locale, event.request.headers.get('accept-language'));
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale) });
};

export const handle: Handle = sequence(handleResponseHeaders, handleRequestId, handleDatabaseOutage, handleCsrf, handleAuth, handleLocale);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (noteDatabaseFailure(error, event)) return { message: 'database_unavailable', code: 'SERVICE_UNAVAILABLE', request_id: event.locals.requestId };
	if (status === 404) return { message: 'Not found' };
	logInternalError(error, { requestId: event.locals.requestId, path: event.url.pathname });
	return { message: 'Internal error', code: 'INTERNAL_SERVER_ERROR', request_id: event.locals.requestId };
};
