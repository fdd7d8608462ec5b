import type { Handle, RequestEvent } from '@sveltejs/kit';
import { LOCALE_COOKIE, pickLocale } from '../../i18n';
import { translate } from '../i18n';
import { databaseCircuit } from './instance';
import { requestIdOf } from '../request-id';

/** What a client is told to wait before retrying a request the outage refused. */
export const RETRY_AFTER_SECONDS = 5;

/** Requests whose page or action failed because the database was unreachable (flagged by handleError). */
const failedOnDatabase = new WeakSet<RequestEvent>();

/** For `handleError` and the API routes: true (and the circuit opens) when `error` means the database is unavailable. */
export function noteDatabaseFailure(error: unknown, event: RequestEvent): boolean {
	if (!databaseCircuit().report(error)) return false;
	failedOnDatabase.add(event);
	return true;
}

function wantsHtml(event: RequestEvent): boolean {
	if (event.url.pathname.startsWith('/api/')) return false;
	return (event.request.headers.get('accept') ?? '').includes('text/html');
}

/** The API's 503: JSON `{code, message, request_id}` with Retry-After. */
export function databaseUnavailableJson(requestId: string): Response {
	const body = { code: 'SERVICE_UNAVAILABLE', message: 'database_unavailable', request_id: requestId };
	return new Response(JSON.stringify(body), {
		status: 503,
		headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'x-request-id': requestId, 'cache-control': 'no-store', 'content-type': 'application/json' }
	});
}

/** 503 with Retry-After: JSON `{code, message, request_id}` for API clients, a short page that reloads itself for browsers. */
export function databaseUnavailableResponse(event: RequestEvent): Response {
	const requestId = event.locals?.requestId ?? requestIdOf(event.request);
	if (!wantsHtml(event)) return databaseUnavailableJson(requestId);
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'x-request-id': requestId, 'cache-control': 'no-store' };
	const locale = pickLocale(event.cookies.get(LOCALE_COOKIE), undefined, event.request.headers.get('accept-language'));
	const page = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>${translate(locale, 'outage.title')}</title>
<style>body{font-family:system-ui,sans-serif;color:#334155;max-width:32rem;margin:15vh auto;padding:0 1.5rem;text-align:center}h1{font-size:1.5rem}a{color:#4f46e5}</style>
</head><body><h1>${translate(locale, 'outage.title')}</h1><p>${translate(locale, 'outage.body')}</p><p><a href="">${translate(locale, 'outage.retry')}</a></p></body></html>`;
	return new Response(page, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * Wraps the app's `handle`: while the database is known to be down every request gets the 503 at
 * once; a request that fails on the database (in the hook itself, or in a page, action or API
 * route) gets the 503 instead of a 500.
 */
export function withDatabaseOutage(handle: Handle): Handle {
	return async (input) => {
		if (databaseCircuit().open) return databaseUnavailableResponse(input.event);
		try {
			const response = await handle(input);
			if (response.status >= 500 && failedOnDatabase.has(input.event)) return databaseUnavailableResponse(input.event);
			return response;
		} catch (err) {
			if (noteDatabaseFailure(err, input.event)) return databaseUnavailableResponse(input.event);
			throw err;
		}
	};
}
