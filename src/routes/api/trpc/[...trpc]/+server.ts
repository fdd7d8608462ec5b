import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { RETRY_AFTER_SECONDS } from '$lib/server/db/outage-response';
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
		},
		// A procedure that failed on the database answers SERVICE_UNAVAILABLE (503, trpc/init.ts).
		responseMeta: ({ errors }) =>
			errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { headers: new Headers({ 'retry-after': String(RETRY_AFTER_SECONDS) }) } : {}
	});

export const GET = handler;
export const POST = handler;
