import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { API_ROOT, servedPath } from './rest-mounts';
import { appRouter } from './root';
import type { Access } from './init';

type Json = Record<string, unknown>;

/** The one error answer of every route (`ErrorBody` in errors.ts). */
const errorSchema: Json = {
	type: 'object',
	required: ['code', 'message'],
	additionalProperties: false,
	properties: {
		code: { type: 'string', description: 'tRPC error code, e.g. BAD_REQUEST, NOT_FOUND, CONFLICT' },
		message: { type: 'string', description: 'A stable snake_case reason, e.g. invalid_input, insufficient_funds, request_id_conflict' },
		request_id: { type: 'string', description: 'The x-request-id of this request, for support' },
		issues: {
			type: 'array',
			description: 'invalid_input: each field refused and why',
			items: {
				type: 'object',
				required: ['path', 'message'],
				additionalProperties: false,
				properties: { path: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, message: { type: 'string' } }
			}
		},
		original: { description: 'request_id_conflict: the answer the first report of this request_id got' }
	}
};

const errorResponses: Record<string, string> = {
	'400': 'Invalid input: a field of the wrong JSON type, out of range, or not allowed (`issues` names each)',
	'401': 'No valid session or API key',
	'403': 'The caller (or the API key’s scopes) may not do this',
	'404': 'No such resource (or one the caller may not see)',
	'409': 'Conflicts with an earlier request (a reused idempotency key or request_id with other parameters, a duplicate)',
	'413': 'Body larger than 1 MiB',
	'415': 'Body is not application/json',
	'429': 'Too many attempts; try again later',
	'500': 'Unexpected error (`message` is internal_error; quote `request_id`)',
	'503': 'The database is unavailable; retry after the `Retry-After` seconds'
};

/** Statuses an operation gives beyond the rule below, by its operationId: redeeming a code answers 404 unknown and 429 while throttled. */
const extraStatuses: Record<string, string[]> = { 'codes-redeem': ['404', '429'] };

function hasIdInput(op: Json): boolean {
	const params = (op.parameters as Array<{ name: string }> | undefined) ?? [];
	if (params.some((p) => /(^|_)id$/.test(p.name))) return true;
	const body = JSON.stringify((op.requestBody as Json | undefined) ?? {});
	return /"[a-z_]*id"\s*:/.test(body);
}

/**
 * trpc-to-openapi's document with the answers Tally really gives: one error schema, the error
 * statuses each operation can answer, `security: []` on public operations, and the server this
 * instance is reached at.
 */
function withTallyErrors(doc: OpenAPIObject): OpenAPIObject {
	const components = (doc.components ??= {}) as Json;
	components.schemas = { ...((components.schemas as Json) ?? {}), Error: errorSchema };
	components.responses = Object.fromEntries(
		Object.entries(errorResponses).map(([status, description]) => [
			`Error${status}`,
			{ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
		])
	);
	for (const item of Object.values(doc.paths ?? {})) {
		for (const [method, op] of Object.entries(item as Record<string, Json>)) {
			const secured = op.security !== undefined;
			if (!secured) op.security = [];
			const responses = op.responses as Json;
			for (const status of Object.keys(responses)) if (status !== '200') delete responses[status];
			const statuses = ['400', '500', '503'];
			if (secured) statuses.push('401', '403');
			else statuses.push('429');
			if (hasIdInput(op)) statuses.push('404');
			if (method !== 'get') statuses.push('409', '413', '415');
			for (const status of extraStatuses[String(op.operationId)] ?? []) if (!statuses.includes(status)) statuses.push(status);
			for (const status of statuses.sort()) responses[status] = { $ref: `#/components/responses/Error${status}` };
		}
	}
	return doc;
}

/** Paths as served below the one server `<origin>/api`: `/v1/...`, or where rest-mounts.ts puts them. */
function withServedPaths(doc: OpenAPIObject): OpenAPIObject {
	doc.paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([path, item]) => [servedPath(path), item]));
	return doc;
}

/** Each operation's `x-access`: who may call it (`scope:usage:read`, `session`, `public`; init.ts `Access`). */
function withAccess(doc: OpenAPIObject): OpenAPIObject {
	const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { openapi?: { method: string; path: string }; access?: Access } } }>;
	for (const procedure of Object.values(procedures)) {
		const meta = procedure._def.meta;
		if (!meta?.openapi || !meta.access) continue;
		const op = (doc.paths?.[servedPath(meta.openapi.path)] as Record<string, Json> | undefined)?.[meta.openapi.method.toLowerCase()];
		if (op) op['x-access'] = meta.access;
	}
	return doc;
}

let cached: OpenAPIObject | undefined;

/** The OpenAPI document, its one server being `origin` + `/api` (ORIGIN when set, else the scheme and host this request came in on). */
export function openApiDocument(origin: string): OpenAPIObject {
	cached ??= withAccess(withServedPaths(
		withTallyErrors(
			generateOpenApiDocument(appRouter, {
				title: 'Tally API',
				description:
					'Credits, recharge and usage billing. Authenticate with `Authorization: Bearer <API key>` or a session cookie. Amounts named *credits* are integers; 10,000 credits = 1 unit of the display currency by default. JSON bodies are validated as JSON: a string is never a number and `null` is never 0. Paths are below the server `/api`: `/v1/...`, and the external users routes at `/user/external/...`.\n\n' +
					'An API key does only what its scopes say, never more than its owner may; keys are made, listed and revoked only from a signed-in session or the CLI. ' +
					'Scopes: `usage:read` — the owner\'s balance, usage, wallet history, orders and models; ' +
					'`usage:write:own` — report/authorize usage for the key\'s owner only (others: 403 `not_own_usage`); ' +
					'`usage:write` — report/authorize usage for **any user**: it can bill anyone, so only admins and service accounts may hold it, for platform gateways; ' +
					'`enterprises:manage` — the enterprises API (admin or service owner); `users:sync` — the external users API (admin or service owner); `admin` — admin procedures (admin owner). ' +
					'A key with no scope reaches only `GET /me`.',
				version: '1.0.0',
				baseUrl: API_ROOT,
				securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key (tly_…)' } }
			})
		)
	));
	return { ...cached, servers: [{ url: origin + API_ROOT }] };
}
