import { TRPCError } from '@trpc/server';
import type { Context } from './context';
import { errorBody, httpStatusOf, isInternal, logInternalError } from './errors';
import { API_ROOT } from './rest-mounts';
import { restRouteFor, type RestMatch } from './rest-routes';
import { createCaller } from './root';
import { fromText, searchText } from '$lib/schemas/text-input';
import { MAX_ROW_ID } from '$lib/schemas/fields';

/**
 * The REST side of the router (`/api/v1/*`, and the paths rest-mounts.ts serves elsewhere under `/api`): each route is a procedure with `meta.openapi`,
 * called through `createCaller` with the same schema, authorization and errors as tRPC. A JSON
 * body is passed to the schema as it was sent; only path and query parameters are read from text,
 * strictly (`fromText`). Nothing here changes a procedure's schema (trpc-to-openapi's own handler
 * coerces by mutating them, which made the tRPC and form paths coerce too).
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the REST side reads of a request: a web `Request` is one; the metering server (http/metering-server.ts) passes its own. */
export interface RestRequest {
	method: string;
	url: string;
	headers: { get(name: string): string | null };
	text(): Promise<string>;
}

type Outcome = { ok: true; input: unknown } | { ok: false; error: TRPCError };

function bad(message: string, path?: string): TRPCError {
	return new TRPCError({ code: 'BAD_REQUEST', message, cause: path ? new BadParameter(path, message) : undefined });
}

/** A parameter that could not be read, reported like a schema issue so the client sees the field. */
class BadParameter extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
	}
}

async function jsonBody(request: RestRequest): Promise<Outcome> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > MAX_BODY_BYTES) return { ok: false, error: new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: 'body_too_large' }) };
	const text = await request.text();
	if (text.length > MAX_BODY_BYTES) return { ok: false, error: new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: 'body_too_large' }) };
	// Clients written to the requirement docs send `curl -X POST …/add-user/2` with no body and no content type.
	if (text.trim() === '') return { ok: true, input: {} };
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type.trim())) {
		return { ok: false, error: new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content_type_must_be_json' }) };
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { ok: false, error: new TRPCError({ code: 'PARSE_ERROR', message: 'invalid_json' }) };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: bad('body_must_be_object') };
	return { ok: true, input: value };
}

function pathInput(match: RestMatch): Outcome {
	const text: Record<string, string> = {};
	for (const [name, raw] of Object.entries(match.params)) {
		try {
			text[name] = decodeURIComponent(raw);
		} catch {
			return { ok: false, error: bad('invalid_path_parameter', name) };
		}
	}
	const values = fromText(match.route.input, text);
	for (const [name, value] of Object.entries(values)) {
		// A well-formed id no row can have (past the integer column's range) names nothing: 404.
		if (typeof value === 'number' && value > MAX_ROW_ID) return { ok: false, error: new TRPCError({ code: 'NOT_FOUND', message: 'not_found' }) };
		if (typeof value === 'string' && match.route.numericParams.has(name)) return { ok: false, error: bad('must_be_integer', name) };
	}
	return { ok: true, input: values };
}

async function inputOf(request: RestRequest, url: URL, match: RestMatch): Promise<Outcome> {
	if (match.route.voidInput) return { ok: true, input: undefined };
	const params = pathInput(match);
	if (!params.ok) return params;
	if (match.route.method === 'GET' || match.route.method === 'DELETE') {
		return { ok: true, input: { ...fromText(match.route.input, searchText(url, { keepEmpty: true })), ...(params.input as object) } };
	}
	const body = await jsonBody(request);
	if (!body.ok) return body;
	return { ok: true, input: { ...(body.input as object), ...(params.input as object) } };
}

/** A REST answer before it becomes a Response: its status and the value its JSON body holds. */
export interface RestAnswer {
	status: number;
	body: unknown;
}

function answer(status: number, body: unknown): RestAnswer {
	return { status, body };
}

function errorAnswer(error: TRPCError, ctx: Context | null, path: string | undefined): RestAnswer {
	const requestId = ctx?.requestId;
	if (isInternal(error)) logInternalError(error, { requestId, path });
	const body = errorBody(error, requestId);
	if (error.cause instanceof BadParameter) body.issues = [{ path: [error.cause.field], message: error.cause.message }];
	return answer(httpStatusOf(error), body);
}

/** Answers one REST request below `/api` (its full path is matched); `makeContext` gives the caller's context (from the SvelteKit event, or the metering server's). */
export async function handleOpenApiRequest(request: RestRequest, makeContext: () => Context): Promise<Response> {
	const { status, body } = await answerRestRequest(request, makeContext);
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** handleOpenApiRequest's answer as status and body (JSON `application/json`), for a server that writes it itself. */
export async function answerRestRequest(request: RestRequest, makeContext: () => Context): Promise<RestAnswer> {
	const url = new URL(request.url);
	const below = url.pathname.startsWith(`${API_ROOT}/`) ? url.pathname.slice(API_ROOT.length) : null;
	const found = below === null ? ({ kind: 'none' } as const) : restRouteFor(request.method, below);
	if (found.kind === 'none') return errorAnswer(new TRPCError({ code: 'NOT_FOUND', message: 'route_not_found' }), null, undefined);
	if (found.kind === 'method') return errorAnswer(new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'method_not_allowed' }), null, undefined);
	const { route } = found.match;
	let ctx: Context | null = null;
	try {
		ctx = makeContext();
		const input = await inputOf(request, url, found.match);
		if (!input.ok) return errorAnswer(input.error, ctx, route.procedure);
		const data = await route.call(createCaller(ctx), input.input);
		return answer(200, data ?? null);
	} catch (err) {
		const error = err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err });
		return errorAnswer(error, ctx, route.procedure);
	}
}
