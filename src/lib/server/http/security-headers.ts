const ALWAYS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	// For browsers without CSP frame-ancestors.
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=(), interest-cohort=()'
};

/** For answers that are not pages (JSON, CSV, redirects): nothing may run in, load from or frame them. */
const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** What withSecurityHeaders gives an answer that is not a page (for a server that writes its headers itself). */
export const NON_PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = { ...ALWAYS, 'content-security-policy': NON_PAGE_POLICY };

/**
 * Headers every answer carries. Pages keep the Content-Security-Policy SvelteKit wrote for them
 * (kit.csp in svelte.config.js, with nonces for its inline scripts).
 */
export function withSecurityHeaders(response: Response): Response {
	let target = response;
	try {
		target.headers.set('x-content-type-options', 'nosniff');
	} catch {
		// Responses from fetch() or Response.redirect() have immutable headers.
		target = new Response(response.body, response);
	}
	for (const [name, value] of Object.entries(ALWAYS)) target.headers.set(name, value);
	if (!target.headers.has('content-security-policy')) {
		const isPage = target.headers.get('content-type')?.startsWith('text/html') ?? false;
		target.headers.set('content-security-policy', isPage ? "frame-ancestors 'none'" : NON_PAGE_POLICY);
	}
	return target;
}
