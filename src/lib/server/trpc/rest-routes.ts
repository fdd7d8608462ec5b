import type { z } from 'zod';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { servedPath } from './rest-mounts';
import { appRouter, type createCaller } from './root';

type Caller = ReturnType<typeof createCaller>;

export interface RestRoute {
	method: string;
	/** The path template below `/api` (rest-mounts.ts), e.g. `/v1/groups/id/{group_id}/add-user/{user_id}`. */
	path: string;
	/** The procedure's dotted path in the router, e.g. `enterprises.addUser`. */
	procedure: string;
	input: z.ZodType;
	voidInput: boolean;
	/** Path parameters whose schema is a number: text that is not a decimal integer is refused. */
	numericParams: Set<string>;
	pattern: RegExp;
	paramNames: string[];
	call(caller: Caller, input: unknown): Promise<unknown>;
}

export interface RestMatch {
	route: RestRoute;
	params: Record<string, string>;
}

interface ProcedureDef {
	_def: { meta?: OpenApiMeta; inputs: z.ZodType[]; type: string };
}

function schemaType(schema: unknown): string {
	let s = schema as { _zod: { def: { type: string; innerType?: unknown; in?: unknown } } };
	while (s._zod.def.innerType || (s._zod.def.type === 'pipe' && s._zod.def.in)) {
		s = (s._zod.def.innerType ?? s._zod.def.in) as typeof s;
	}
	return s._zod.def.type;
}

function shapeOf(schema: z.ZodType): Record<string, unknown> {
	const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, unknown> } } })._zod.def;
	return def.type === 'object' ? (def.shape ?? {}) : {};
}

function build(): RestRoute[] {
	const routes: RestRoute[] = [];
	const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
	for (const [name, procedure] of Object.entries(procedures)) {
		const openapi = procedure._def.meta?.openapi;
		if (!openapi) continue;
		const input = procedure._def.inputs[0];
		const path = servedPath(openapi.path);
		const paramNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
		const source = path
			.split(/\{\w+\}/)
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			.join('([^/]+)');
		const shape = input ? shapeOf(input) : {};
		const segments = name.split('.');
		routes.push({
			method: openapi.method,
			path,
			procedure: name,
			input: input as z.ZodType,
			voidInput: !input || ['void', 'undefined', 'never'].includes(schemaType(input)),
			numericParams: new Set(paramNames.filter((p) => shape[p] && schemaType(shape[p]) === 'number')),
			pattern: new RegExp(`^${source}/?$`),
			paramNames,
			call: (caller, value) => {
				let fn: unknown = caller;
				for (const segment of segments) fn = (fn as Record<string, unknown>)[segment];
				return (fn as (input: unknown) => Promise<unknown>)(value);
			}
		});
	}
	// A fixed path wins over a template that also matches it.
	return routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

let table: RestRoute[] | undefined;

export function restRoutes(): RestRoute[] {
	table ??= build();
	return table;
}

let fixed: Map<string, RestRoute> | undefined;

/** Routes without path parameters by `METHOD path`: the metering routes are found without trying every pattern. */
function fixedRoutes(): Map<string, RestRoute> {
	fixed ??= new Map(restRoutes().filter((r) => r.paramNames.length === 0).map((r) => [`${r.method} ${r.path}`, r]));
	return fixed;
}

export function restRouteFor(method: string, path: string): { kind: 'found'; match: RestMatch } | { kind: 'method' } | { kind: 'none' } {
	// A fixed path wins over a template (the table's order), so its own entry is the answer.
	const exact = fixedRoutes().get(`${method.toUpperCase()} ${path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path}`);
	if (exact) return { kind: 'found', match: { route: exact, params: {} } };
	let pathMatched = false;
	for (const route of restRoutes()) {
		const m = route.pattern.exec(path);
		if (!m) continue;
		if (route.method !== method.toUpperCase()) {
			pathMatched = true;
			continue;
		}
		const params: Record<string, string> = {};
		route.paramNames.forEach((n, i) => (params[n] = m[i + 1]));
		return { kind: 'found', match: { route, params } };
	}
	return pathMatched ? { kind: 'method' } : { kind: 'none' };
}
