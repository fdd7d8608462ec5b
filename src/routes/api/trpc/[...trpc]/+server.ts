import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { logInternalError } from '$lib/server/trpc/errors';
import { appRouter } from '$lib/server/trpc/root';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		onError: ({ error, path }) => {
			if (error.code === 'INTERNAL_SERVER_ERROR') logInternalError(error, { requestId: event.locals.requestId, path });
		}
	});

export const GET = handler;
export const POST = handler;
