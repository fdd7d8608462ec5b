import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';

/**
 * Runs a procedure call from a form action; a typed error becomes `fail(status, {message, fieldErrors})`
 * that the page shows next to the form, anything else is rethrown.
 */
export async function formCall<T>(call: () => Promise<T>, values: Record<string, unknown> = {}) {
	try {
		return { ok: true as const, data: await call() };
	} catch (err) {
		if (err instanceof TRPCError) {
			const status = err.code === 'UNAUTHORIZED' ? 401 : err.code === 'FORBIDDEN' ? 403 : err.code === 'TOO_MANY_REQUESTS' ? 429 : err.code === 'NOT_FOUND' ? 404 : err.code === 'CONFLICT' ? 409 : 400;
			const fieldErrors = err.cause instanceof ZodError ? (z.flattenError(err.cause).fieldErrors as Record<string, string[]>) : {};
			const message = err.cause instanceof ZodError ? 'invalid_input' : err.message;
			return { ok: false as const, failure: fail(status, { message, fieldErrors, values }) };
		}
		throw err;
	}
}

export function formValues<const K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
	return Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? '')])) as Record<K, string>;
}
