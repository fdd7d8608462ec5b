/** The database cannot be reached (down, restarting, refusing connections); a retry later may succeed. */
export class DatabaseUnavailableError extends Error {
	constructor(message = 'database_unavailable', options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DatabaseUnavailableError';
	}
}

/**
 * Error codes that mean "no database right now": socket errors, postgres.js's connection codes,
 * and SQLSTATEs for a server shutting down, starting up, or out of connections (class 08 is
 * "connection exception").
 */
const UNAVAILABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'57P01',
	'57P02',
	'57P03',
	'53300'
]);

/** True when `err`, or any error it wraps as `cause` (drizzle, tRPC), says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
	let current = err;
	for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
		if (current instanceof DatabaseUnavailableError) return true;
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
		if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}
