import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';

const STATUS: Partial<Record<TRPCError['code'], number>> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 400 };

/** Runs a procedure call from a page load; a typed refusal becomes the error page with its status. */
export async function loadCall<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (err) {
		if (err instanceof TRPCError && STATUS[err.code]) error(STATUS[err.code]!, err.message);
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
