import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { OPENAPI_BASE } from '$lib/server/trpc/openapi';
import { appRouter } from '$lib/server/trpc/root';

const handler: RequestHandler = (event) =>
	createOpenApiFetchHandler({
		endpoint: OPENAPI_BASE,
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event)
	});

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
