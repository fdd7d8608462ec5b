import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$lib/server/trpc/root';

/**
 * The browser's typed client for the routers, for pages that talk to the server without a
 * reload (polling, live filtering, search). Loads and form actions call the same procedures on
 * the server through `createCaller`; this client sends the session cookie to /api/trpc.
 */
export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc', maxItems: 20 })]
});

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
