/** What an admin page's form action sent back: the error code, the errors by field, and the values typed. */
export function formResult(form: unknown) {
	const f = (form ?? {}) as { message?: unknown; fieldErrors?: Record<string, string[] | undefined>; values?: Record<string, string> };
	return {
		message: typeof f.message === 'string' && f.message ? f.message : null,
		fieldErrors: f.fieldErrors ?? {},
		values: f.values ?? {}
	};
}
