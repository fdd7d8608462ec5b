import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './outage';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
	it('recognises refused, reset and closed connections, timeouts and server shutdown', () => {
		for (const code of ['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006']) {
			expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
		}
		expect(isDatabaseUnavailable(new DatabaseUnavailableError())).toBe(true);
	});

	it('looks through drizzle and tRPC wrappers and aggregate connect errors', () => {
		const drizzleError = new Error('Failed query: select 1', { cause: withCode('57P01') });
		expect(isDatabaseUnavailable(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: drizzleError }))).toBe(true);
		expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'connect failed'))).toBe(true);
	});

	it('leaves query errors, constraint violations and plain failures alone', () => {
		for (const err of [withCode('23505'), withCode('40001'), withCode('42P01'), new Error('boom'), new TRPCError({ code: 'BAD_REQUEST' }), null, 'ECONNREFUSED']) {
			expect(isDatabaseUnavailable(err)).toBe(false);
		}
	});
});
