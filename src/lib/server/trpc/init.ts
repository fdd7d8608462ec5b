import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Context } from './context';
import { InsufficientFundsError } from '../ledger/post';
import { DomainError, type DomainErrorKind } from '../errors';
import { fieldErrorsOf, INTERNAL_MESSAGE, issuesOf, originalOf } from './errors';
import { findInputProblem, UnstorableInputError } from './input-guard';
import { databaseCircuit } from '../db/instance';
import { actingRole, keyReaches } from '../auth/api-keys';
import type { KeyScope } from '../../schemas/keys';

/** Who may call a procedure, as the API docs state it: set by the builder below, never by hand. */
export type Access = 'public' | 'identity' | 'session' | `scope:${KeyScope}` | `scope:${KeyScope}:admin`;

const t = initTRPC
	.context<Context>()
	.meta<OpenApiMeta & { access?: Access }>()
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

export const TRPC_CODE = { not_found: 'NOT_FOUND', forbidden: 'FORBIDDEN', conflict: 'CONFLICT', invalid: 'BAD_REQUEST' } as const satisfies Record<DomainErrorKind, TRPCError['code']>;

/** Turns domain errors thrown below the routers into typed tRPC errors: the one place they are mapped. */
const domainErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof DomainError) {
		throw new TRPCError({ code: TRPC_CODE[result.error.cause.kind], message: result.error.cause.code, cause: result.error.cause });
	}
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

export const publicProcedure = t.procedure.use(inputGuard).use(domainErrors).meta({ access: 'public' });

/*
 * Who may call a procedure (every procedure uses exactly one of these; the authorization matrix
 * in tests/integration/authz-matrix.test.ts lists them all):
 *   publicProcedure            anyone
 *   identityProcedure          a session, or any valid API key whatever its scopes (who am I)
 *   authedProcedure            a signed-in session only; every API key is refused
 *   scopedProcedure(scope)     a session, or a key holding `scope` that its owner may hold
 *   scopedProcedure(scope, 'admin')  the same, but of sessions only platform admins
 *   adminProcedure             a platform admin's session, or an admin's key with the admin scope
 * A key acts with `actingRole` (auth/api-keys.ts), so role checks inside a procedure never give a
 * key more than its scopes.
 */

const signedIn = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send a valid API key' });
	return next({ ctx: { ...ctx, user: ctx.user } });
});

export const identityProcedure = signedIn.meta({ access: 'identity' });

export const authedProcedure = signedIn.use(({ ctx, next }) => {
	if (ctx.apiKey !== null) throw new TRPCError({ code: 'FORBIDDEN', message: 'session_required' });
	return next({ ctx });
}).meta({ access: 'session' });

export function scopedProcedure(scope: KeyScope, sessions: 'any' | 'admin' = 'any') {
	const access: Access = sessions === 'admin' ? `scope:${scope}:admin` : `scope:${scope}`;
	return signedIn.meta({ access }).use(({ ctx, next }) => {
		if (ctx.apiKey === null) {
			if (sessions === 'admin' && ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Platform admins only' });
			return next({ ctx });
		}
		if (!keyReaches(ctx.user.role, ctx.apiKey.scopes, scope)) throw new TRPCError({ code: 'FORBIDDEN', message: `scope_required:${scope}` });
		return next({ ctx: { ...ctx, user: { ...ctx.user, role: actingRole(ctx.user.role, ctx.apiKey.scopes) } } });
	});
}

export const adminProcedure = scopedProcedure('admin', 'admin');
