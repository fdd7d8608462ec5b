import { config } from './config';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export interface OriginSettings {
	/** X-Forwarded-Host and X-Forwarded-Proto are set by a proxy in front (TRUST_PROXY). */
	trustProxy: boolean;
	/** ORIGIN, when configured. */
	origin: string | undefined;
}

function firstValue(header: string | null): string | null {
	const value = header?.split(',')[0].trim();
	return value ? value : null;
}

function originOf(proto: string, host: string): string | null {
	try {
		return new URL(`${proto}://${host}`).origin;
	} catch {
		return null;
	}
}

/**
 * The origin the browser used: ORIGIN when configured; else what a trusted proxy reports; else
 * plain HTTP (what this server speaks) on the Host header. adapter-node's `url` claims https when
 * ORIGIN is unset, so its scheme is not used.
 */
export function browserOrigin(request: Request, url: URL, settings: OriginSettings): string | null {
	if (settings.origin) return new URL(settings.origin).origin;
	const host = request.headers.get('host') ?? url.host;
	if (!settings.trustProxy) return originOf('http', host);
	const proto = firstValue(request.headers.get('x-forwarded-proto')) ?? 'http';
	return originOf(proto, firstValue(request.headers.get('x-forwarded-host')) ?? host);
}

/**
 * SvelteKit's CSRF rule (a form post must come from our own page: same scheme, host and port),
 * except for payment providers' server-to-server notifications, which are verified by signature instead.
 */
export function crossSiteFormPost(request: Request, url: URL, settings?: OriginSettings): boolean {
	if (request.method === 'GET' || request.method === 'HEAD') return false;
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	if (url.pathname.startsWith('/api/v1/payments/')) return false;
	const origin = request.headers.get('origin');
	if (!origin) return true;
	const expected = browserOrigin(request, url, settings ?? { trustProxy: config().TRUST_PROXY, origin: config().ORIGIN });
	try {
		return expected === null || new URL(origin).origin !== expected;
	} catch {
		return true;
	}
}
