import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { log } from '../log';
import { UnstorableInputError } from './input-guard';
import { RequestIdConflictError } from '../usage/settle';

/** What a client may see of an error: never a message written for developers (SQL, a stack). */
export const INTERNAL_MESSAGE = 'internal_error';

export interface Issue {
	path: (string | number)[];
	message: string;
}

/** The one error answer of the REST API (and the `data` of a tRPC error). */
export interface ErrorBody {
	code: string;
	message: string;
	request_id?: string;
	issues?: Issue[];
	/** request_id_conflict: the answer the first report of that request id got. */
	original?: unknown;
}

export function isInternal(error: TRPCError): boolean {
	return error.code === 'INTERNAL_SERVER_ERROR';
}

/** The fields a refused input is blamed on: its schema's issues, or the input guard's finding. */
export function issuesOf(error: TRPCError): Issue[] | undefined {
	if (error.cause instanceof UnstorableInputError) return [{ path: error.cause.problem.path, message: error.cause.problem.message }];
	if (!(error.cause instanceof ZodError)) return undefined;
	return error.cause.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
}

/** Issues by top-level field, as forms show them; `null` when the error is not about input. */
export function fieldErrorsOf(error: TRPCError): Record<string, string[]> | null {
	const issues = issuesOf(error);
	if (!issues) return null;
	const out: Record<string, string[]> = {};
	for (const issue of issues) {
		const field = issue.path.length ? String(issue.path[0]) : '_';
		(out[field] ??= []).push(issue.message);
	}
	return out;
}

export function errorBody(error: TRPCError, requestId: string | undefined): ErrorBody {
	const issues = issuesOf(error);
	const message = isInternal(error) ? INTERNAL_MESSAGE : issues ? 'invalid_input' : error.message;
	const original = originalOf(error);
	return { code: error.code, message, ...(requestId ? { request_id: requestId } : {}), ...(issues ? { issues } : {}), ...(original ? { original } : {}) };
}

export function originalOf(error: TRPCError): unknown {
	return error.cause instanceof RequestIdConflictError ? error.cause.original : undefined;
}

export function httpStatusOf(error: TRPCError): number {
	return getHTTPStatusCodeFromError(error);
}

/** Logs an unexpected error once, with the request it happened in. */
export function logInternalError(error: unknown, where: { requestId?: string; path?: string }) {
	const cause = error instanceof TRPCError && error.cause ? error.cause : error;
	log.error({ request_id: where.requestId, path: where.path, err: cause }, 'unexpected error');
}
