/**
 * Text that PostgreSQL or a log line cannot hold: a NUL character (text and jsonb refuse it) or
 * half of a UTF-16 surrogate pair (not Unicode; PostgreSQL refuses the escape in jsonb). Checked
 * on the raw input of every procedure, keys included, before its schema runs.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const MAX_INPUT_DEPTH = 16;

export interface InputProblem {
	path: (string | number)[];
	message: 'invalid_characters' | 'too_deeply_nested';
}

/** Thrown by the guard; the transport answers 400 with the problem's path as the issue. */
export class UnstorableInputError extends Error {
	constructor(readonly problem: InputProblem) {
		super(problem.message);
	}
}

/** The first place in `value` a procedure must not receive, or null. */
export function findInputProblem(value: unknown, path: (string | number)[] = [], depth = 0): InputProblem | null {
	if (typeof value === 'string') return UNSTORABLE.test(value) ? { path, message: 'invalid_characters' } : null;
	if (value === null || typeof value !== 'object') return null;
	if (depth >= MAX_INPUT_DEPTH) return { path, message: 'too_deeply_nested' };
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const found = findInputProblem(value[i], [...path, i], depth + 1);
			if (found) return found;
		}
		return null;
	}
	if (value instanceof Date) return null;
	for (const [key, item] of Object.entries(value)) {
		if (UNSTORABLE.test(key)) return { path, message: 'invalid_characters' };
		const found = findInputProblem(item, [...path, key], depth + 1);
		if (found) return found;
	}
	return null;
}
