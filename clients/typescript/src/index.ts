import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export interface TallyClientOptions {
	/** Where Tally runs, e.g. `https://tally.example.com` (the API is below `/api`). */
	baseUrl: string;
	/** An API key (`tly_…`); the external users routes need one with the `users:sync` scope. */
	apiKey: string;
	/** Another fetch (tests, proxies); the global one by default. */
	fetch?: typeof globalThis.fetch;
}

export type TallyClient = Client<paths>;

/**
 * A typed client: every path, parameter, body and answer comes from Tally's OpenAPI document.
 * Each call resolves to `{ data }` on success or `{ error }` (Tally's error body: `code`,
 * `message`, `issues`) with the `response`.
 */
export function createTallyClient(options: TallyClientOptions): TallyClient {
	return createClient<paths>({
		baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api`,
		headers: { authorization: `Bearer ${options.apiKey}` },
		fetch: options.fetch
	});
}
