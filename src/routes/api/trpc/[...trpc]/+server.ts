import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { RETRY_AFTER_SECONDS } from '$lib/server/db/outage-response';
import { createContext } from '$lib/server/trpc/context';
import { appRouter } from '$lib/server/trpc/root';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		// A procedure that failed on the database answers SERVICE_UNAVAILABLE (503, trpc/init.ts).
		responseMeta: ({ errors }) =>
			errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { headers: new Headers({ 'retry-after': String(RETRY_AFTER_SECONDS) }) } : {}
	});

export const GET = handler;
export const POST = handler;
