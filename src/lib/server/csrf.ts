const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * SvelteKit's CSRF rule (a form post must come from our own page), except for payment providers'
 * server-to-server notifications, which are verified by signature instead. The Origin is compared
 * with the Host the browser used, so it holds with or without ORIGIN and behind a proxy.
 */
export function crossSiteFormPost(request: Request, url: URL): boolean {
	if (request.method === 'GET' || request.method === 'HEAD') return false;
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	if (url.pathname.startsWith('/api/v1/payments/')) return false;
	const origin = request.headers.get('origin');
	if (!origin) return true;
	const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host;
	try {
		return new URL(origin).host !== host;
	} catch {
		return true;
	}
}
