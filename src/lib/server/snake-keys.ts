type SnakeCase<S extends string> = S extends `${infer Head}${infer Rest}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Rest>}` : S;

/** A row's type with its camelCase keys as the API's snake_case ones (`balanceAfter` → `balance_after`). */
export type SnakeKeys<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] };

/**
 * A row with its top-level keys in snake_case, values untouched: how a service row becomes an
 * API answer. The procedure's `.output()` schema then keeps only the fields the API names.
 */
export function snakeKeys<T extends object>(row: T): SnakeKeys<T> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(row)) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
	return out as SnakeKeys<T>;
}
