import { TRPCError } from '@trpc/server';
import { createOpenApiExpressMiddleware } from 'trpc-to-openapi';
import type { Context } from './context';
import { OPENAPI_BASE } from './openapi';
import { appRouter } from './root';

/**
 * The REST side of the router. trpc-to-openapi's own fetch adapter builds its procedure table
 * (and, outside NODE_ENV=production, the whole OpenAPI document) on every request, which cost
 * ~10 ms a call; this adapter builds the handler once and feeds it Fetch requests the same way.
 */
const contextOf = new WeakMap<object, () => Context>();

type NodeLikeHandler = (req: unknown, res: unknown) => Promise<void>;

const handle = createOpenApiExpressMiddleware({
	router: appRouter,
	createContext: ({ req }: { req: object }) => {
		const make = contextOf.get(req);
		if (!make) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'request without its context' });
		return make();
	}
} as never) as unknown as NodeLikeHandler;

async function parsedBody(request: Request): Promise<{ ok: true; data: unknown } | { ok: false; cause: unknown }> {
	const type = request.headers.get('content-type') ?? '';
	try {
		if (type.includes('application/json')) return { ok: true, data: JSON.parse(await request.text()) };
		return { ok: true, data: undefined };
	} catch (cause) {
		return { ok: false, cause };
	}
}

/**
 * Seed clients call routes such as `POST /groups/id/1/add-user/2` with no body and no content
 * type; the handler only takes JSON bodies, so an empty body is read as `{}`.
 */
async function withJsonBody(request: Request): Promise<Request> {
	if (request.method === 'GET' || request.method === 'HEAD' || request.headers.get('content-type')) return request;
	const body = await request.text();
	if (body.trim() !== '') return new Request(request.url, { method: request.method, headers: request.headers, body });
	const headers = new Headers(request.headers);
	headers.set('content-type', 'application/json');
	return new Request(request.url, { method: request.method, headers, body: '{}' });
}

/** Answers one `/api/v1/*` request; `makeContext` gives the caller's context (from the SvelteKit event). */
export async function handleOpenApiRequest(incoming: Request, makeContext: () => Context): Promise<Response> {
	const request = await withJsonBody(incoming);
	const url = new URL(request.url);
	url.pathname = url.pathname.slice(OPENAPI_BASE.length) || '/';
	const body = await parsedBody(request);
	const req = new Proxy(request, {
		get(target, prop) {
			if (prop === 'url') return url.toString();
			if (prop === 'body') {
				if (!body.ok) throw new TRPCError({ code: 'PARSE_ERROR', message: 'Failed to parse request body', cause: body.cause });
				return body.data;
			}
			const value = Reflect.get(target, prop, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
	contextOf.set(req, makeContext);
	const headers = new Headers();
	return new Promise<Response>((resolve, reject) => {
		let status = 200;
		const res = {
			setHeader(key: string, value: string | string[]) {
				if (typeof value === 'string') headers.set(key, value);
				else for (const v of value) headers.append(key, v);
			},
			get statusCode() {
				return status;
			},
			set statusCode(code: number) {
				status = code;
			},
			end(payload?: string) {
				resolve(new Response(payload, { status, headers }));
			}
		};
		handle(req, res).catch(reject);
	});
}
