import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { logInternalError } from '$lib/server/trpc/errors';
import { appRouter } from '$lib/server/trpc/root';

/** The most calls one /api/trpc request may carry; larger batches get a 400. */
const MAX_BATCH_SIZE = 20;

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		maxBatchSize: MAX_BATCH_SIZE,
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		onError: ({ error, path }) => {
			if (error.code === 'INTERNAL_SERVER_ERROR') logInternalError(error, { requestId: event.locals.requestId, path });
		}
	});

export const GET = handler;
export const POST = handler;
