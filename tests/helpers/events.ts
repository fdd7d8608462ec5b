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
