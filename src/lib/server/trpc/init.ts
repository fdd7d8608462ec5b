import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Context } from './context';
import { InsufficientFundsError } from '../ledger/post';
import { fieldErrorsOf, INTERNAL_MESSAGE, issuesOf, originalOf } from './errors';
import { findInputProblem, UnstorableInputError } from './input-guard';
import { databaseCircuit } from '../db/instance';

const t = initTRPC
	.context<Context>()
	.meta<OpenApiMeta>()
	.create({
		errorFormatter({ shape, error, ctx }) {
			const internal = error.code === 'INTERNAL_SERVER_ERROR';
			return {
				...shape,
				message: internal ? INTERNAL_MESSAGE : shape.message,
				data: {
					...shape.data,
					stack: undefined,
					request_id: ctx?.requestId ?? null,
					issues: issuesOf(error) ?? null,
					fieldErrors: fieldErrorsOf(error),
					original: originalOf(error) ?? null
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

/** Refuses text no table or log can hold (NUL, lone surrogates) and absurd nesting, naming the field. */
const inputGuard = t.middleware(async ({ getRawInput, next }) => {
	const problem = findInputProblem(await getRawInput());
	if (problem) {
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: problem.message,
			cause: new UnstorableInputError(problem)
		});
	}
	return next();
});

export const publicProcedure = t.procedure.use(inputGuard).use(domainErrors);

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
