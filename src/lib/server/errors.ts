/**
 * What a service throws when it refuses a request: a kind the transport maps to a status once
 * (`mapDomainErrors` in trpc/init.ts) and a code the client sees as the message
 * (`order_not_found`, `not_enterprise_admin`, …). Services never build transport errors themselves.
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid';

export class DomainError extends Error {
	constructor(
		readonly kind: DomainErrorKind,
		readonly code: string
	) {
		super(code);
		this.name = 'DomainError';
	}
}

export const notFound = (code: string) => new DomainError('not_found', code);
export const forbidden = (code: string) => new DomainError('forbidden', code);
export const conflict = (code: string) => new DomainError('conflict', code);
/** The request cannot be done as asked (400): out of range, in the wrong state, mismatched. */
export const invalid = (code: string) => new DomainError('invalid', code);
