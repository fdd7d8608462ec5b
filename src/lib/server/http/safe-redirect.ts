const PROBE_ORIGIN = 'https://tally.invalid';
// Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\t/x" and "/\x" mean "//x".
const UNSAFE_CHARS = /[\\\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const MAX_LENGTH = 2048;

function fullyDecoded(value: string): string | null {
	let current = value;
	for (let i = 0; i < 5; i++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			return null;
		}
		if (next === current) return current;
		current = next;
	}
	return null;
}

function safeShape(value: string): boolean {
	return value.startsWith('/') && !value.startsWith('//') && !UNSAFE_CHARS.test(value);
}

/**
 * A redirect target taken from a request, kept only when it is a path of this app; anything else
 * (another host, a scheme, a path a browser would read as "//host") gives the fallback.
 */
export function safeRedirectPath(raw: unknown, fallback: string): string {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return fallback;
	// Encoded spaces belong in a query string; only the path part must stay clean after decoding.
	const decoded = fullyDecoded(raw.split(/[?#]/)[0]);
	if (decoded === null || !safeShape(raw) || !safeShape(decoded)) return fallback;
	let resolved: URL;
	try {
		resolved = new URL(raw, PROBE_ORIGIN);
	} catch {
		return fallback;
	}
	if (resolved.origin !== PROBE_ORIGIN) return fallback;
	const path = resolved.pathname + resolved.search + resolved.hash;
	const decodedPath = fullyDecoded(resolved.pathname);
	if (!safeShape(path) || decodedPath === null || !safeShape(decodedPath)) return fallback;
	return path;
}
