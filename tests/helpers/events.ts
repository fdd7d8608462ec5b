import type { Handle } from '@sveltejs/kit';
// @ts-expect-error -- SvelteKit's internal module has no type declarations; sequence() reads its request store
import { with_request_store } from '@sveltejs/kit/internal/server';
import { CookieJar } from './callers';

/** A SvelteKit RequestEvent for calling a hook, an action or a route handler directly. */
export function requestEvent(request: Request, opts: { locals?: Partial<App.Locals>; ip?: string } = {}) {
	const jar = new CookieJar();
	return {
		request,
		url: new URL(request.url),
		cookies: jar.cookies,
		locals: (opts.locals ?? {}) as App.Locals,
		getClientAddress: () => opts.ip ?? '203.0.113.9',
		params: {},
		route: { id: null },
		setHeaders: () => {},
		isDataRequest: false,
		isSubRequest: false,
		platform: undefined,
		fetch,
		tracing: undefined,
		isRemoteRequest: false
	} as never;
}

/**
 * Calls the app's `handle` as SvelteKit does: inside a request store, which `sequence` needs.
 * Telemetry off: each sequenced handle's span is a no-op.
 */
export function throughHandle(handle: Handle, input: Parameters<Handle>[0]) {
	const state = { tracing: { record_span: ({ fn }: { fn: (span: unknown) => unknown }) => fn({}) } };
	return with_request_store({ event: input.event, state } as never, () => handle(input)) as Promise<Response>;
}
