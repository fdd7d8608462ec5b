import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { DomainError } from '../../src/lib/server/errors';
import { TRPC_CODE } from '../../src/lib/server/trpc/init';

/**
 * The call fails with this tRPC error code (and, when given, this message): through a procedure a
 * TRPCError, from a service called directly the DomainError the middleware maps to it.
 */
export async function expectCode(promise: Promise<unknown>, code: TRPCError['code'], message?: string) {
	await expect(promise).rejects.toSatisfy((e: unknown) => {
		if (e instanceof DomainError) return TRPC_CODE[e.kind] === code && (message === undefined || e.code === message);
		return e instanceof TRPCError && e.code === code && (message === undefined || e.message === message);
	});
}
