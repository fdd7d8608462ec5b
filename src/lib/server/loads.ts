import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { fieldErrorsOf, httpStatusOf } from './trpc/errors';

/**
 * Runs a procedure call from a page load or a server route; a typed refusal becomes the error page
 * with its status (`getHTTPStatusCodeFromError`, as REST answers). A 5xx is rethrown, so
 * `handleError` logs it once and the outage handle can answer 503.
 */
export async function loadCall<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (err) {
		if (err instanceof TRPCError) {
			const status = httpStatusOf(err);
			if (status < 500) error(status, fieldErrorsOf(err) ? 'invalid_input' : err.message);
		}
		throw err;
	}
}

/** `?user=<id>`: a platform admin viewing someone else's pages (the procedures enforce who may). */
export function viewedUserId(url: URL): number | undefined {
	const raw = url.searchParams.get('user');
	if (!raw) return undefined;
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) error(400, 'invalid_user');
	return id;
}
