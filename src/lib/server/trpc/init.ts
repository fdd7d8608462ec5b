import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import { InsufficientFundsError } from '../ledger/post';
import { databaseCircuit } from '../db/instance';

const t = initTRPC
	.context<Context>()
	.meta<OpenApiMeta>()
	.create({
		errorFormatter({ shape, error }) {
			const cause = error.cause;
			return {
				...shape,
				data: {
					...shape.data,
					stack: undefined,
					fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null
				}
			};
		}
	});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Turns domain errors thrown below the routers into typed tRPC errors. */
const domainErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof InsufficientFundsError) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'insufficient_funds', cause: result.error.cause });
	}
	if (!result.ok && databaseCircuit().report(result.error)) {
		throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'database_unavailable', cause: result.error });
	}
	return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send a valid API key' });
	return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Platform admins only' });
	return next({ ctx });
});

/** For procedures a machine client calls with a service key (scope) or that an admin may call. */
export function scopedProcedure(scope: string) {
	return authedProcedure.use(({ ctx, next }) => {
		const allowed = ctx.user.role === 'admin' || (ctx.apiKey !== null && ctx.apiKey.scopes.includes(scope));
		if (!allowed) throw new TRPCError({ code: 'FORBIDDEN', message: `Needs an API key with the ${scope} scope` });
		return next({ ctx });
	});
}
