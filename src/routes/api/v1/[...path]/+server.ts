import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { OPENAPI_BASE } from '$lib/server/trpc/openapi';
import { appRouter } from '$lib/server/trpc/root';

/**
 * Seed clients call routes such as `POST /groups/id/1/add-user/2` with no body and no
 * content type; the OpenAPI handler only takes JSON bodies, so an empty body is read as `{}`.
 */
async function withJsonBody(request: Request): Promise<Request> {
	if (request.method === 'GET' || request.method === 'HEAD' || request.headers.get('content-type')) return request;
	const body = await request.text();
	if (body.trim() !== '') return new Request(request.url, { method: request.method, headers: request.headers, body });
	const headers = new Headers(request.headers);
	headers.set('content-type', 'application/json');
	return new Request(request.url, { method: request.method, headers, body: '{}' });
}

const handler: RequestHandler = async (event) =>
	createOpenApiFetchHandler({
		endpoint: OPENAPI_BASE,
		req: await withJsonBody(event.request),
		router: appRouter,
		createContext: () => createContext(event)
	});

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
