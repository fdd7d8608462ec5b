import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { fromText } from '$lib/schemas/text-input';
import { fieldErrorsOf, httpStatusOf, isInternal } from './trpc/errors';

/**
 * Runs a procedure call from a form action; a typed error becomes `fail(status, {message, fieldErrors})`
 * that the page shows next to the form. An unexpected error is rethrown, to be logged once and
 * shown as the error page without its text.
 */
export async function formCall<T>(call: () => Promise<T>, values: Record<string, unknown> = {}) {
	try {
		return { ok: true as const, data: await call() };
	} catch (err) {
		if (err instanceof TRPCError && !isInternal(err)) {
			const fieldErrors = fieldErrorsOf(err);
			const message = fieldErrors ? 'invalid_input' : err.message;
			return { ok: false as const, failure: fail(httpStatusOf(err), { message, fieldErrors: fieldErrors ?? {}, values }) };
		}
		throw err;
	}
}

export function formValues<const K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
	return Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? '')])) as Record<K, string>;
}

/**
 * Form fields as the JSON types `schema` expects (strictly: `fromText`); empty fields are left
 * out, so an optional field left blank is absent. The procedure's schema still validates.
 */
export function formInput<S extends z.ZodType>(form: FormData, schema: S, names: readonly string[]): z.input<S> {
	const text: Record<string, string> = {};
	for (const name of names) {
		const value = form.get(name);
		if (typeof value === 'string' && value.trim() !== '') text[name] = value.trim();
	}
	return fromText(schema, text) as z.input<S>;
}
