import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** The call fails with this tRPC error code (and, when given, this message). */
export async function expectCode(promise: Promise<unknown>, code: TRPCError['code'], message?: string) {
	await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code && (message === undefined || e.message === message));
}
