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
import type { SessionUser } from '../auth/identity';

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
function mapDomainErrors<R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R {
	if (result.ok) return result;
	const { error } = result as { error: TRPCError };
	if (error.cause instanceof DomainError) {
		throw new TRPCError({ code: TRPC_CODE[error.cause.kind], message: error.cause.code, cause: error.cause });
	}
	if (error.cause instanceof InsufficientFundsError) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'insufficient_funds', cause: error.cause });
	}
	if (databaseCircuit().report(error)) {
		throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'database_unavailable', cause: error });
	}
	return result;
}

/** Refuses text no table or log can hold (NUL, lone surrogates) and absurd nesting, naming the field. */
async function refuseUnstorableInput(getRawInput: () => Promise<unknown>): Promise<void> {
	const problem = findInputProblem(await getRawInput());
	if (problem) {
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: problem.message,
			cause: new UnstorableInputError(problem)
		});
	}
}

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
 *
 * Each builder is ONE middleware (input guard, access rule, domain errors): tRPC copies the call's
 * options and context for every middleware layer (bench/trpc-chain.ts measures what the builders add;
 * scripts/patch-trpc.mjs makes those copies native object spread).
 */

export const publicProcedure = t.procedure
	.use(async ({ getRawInput, next }) => {
		await refuseUnstorableInput(getRawInput);
		return mapDomainErrors(await next());
	})
	.meta({ access: 'public' });

/** A signed-in builder's rule: throws to refuse the caller, else answers the user the procedure acts as. */
type Admit = (ctx: Context, user: SessionUser) => SessionUser;

function signedInProcedure(access: Access, admit: Admit) {
	return t.procedure
		.use(async ({ ctx, getRawInput, next }) => {
			await refuseUnstorableInput(getRawInput);
			if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send a valid API key' });
			return mapDomainErrors(await next({ ctx: { user: admit(ctx, ctx.user) } }));
		})
		.meta({ access });
}

export const identityProcedure = signedInProcedure('identity', (_ctx, user) => user);

export const authedProcedure = signedInProcedure('session', (ctx, user) => {
	if (ctx.apiKey !== null) throw new TRPCError({ code: 'FORBIDDEN', message: 'session_required' });
	return user;
});

export function scopedProcedure(scope: KeyScope, sessions: 'any' | 'admin' = 'any') {
	return signedInProcedure(sessions === 'admin' ? `scope:${scope}:admin` : `scope:${scope}`, (ctx, user) => {
		if (ctx.apiKey === null) {
			if (sessions === 'admin' && user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Platform admins only' });
			return user;
		}
		if (!keyReaches(user.role, ctx.apiKey.scopes, scope)) throw new TRPCError({ code: 'FORBIDDEN', message: `scope_required:${scope}` });
		return { ...user, role: actingRole(user.role, ctx.apiKey.scopes) };
	});
}

export const adminProcedure = scopedProcedure('admin', 'admin');
