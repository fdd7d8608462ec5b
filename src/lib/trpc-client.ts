import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AnyTRPCProcedure, inferProcedureOutput, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
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
/** Each procedure's answer as this client receives it: JSON, so a date arrives as ISO text. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

type Results<R> = { [K in keyof R]: R[K] extends AnyTRPCProcedure ? inferProcedureOutput<R[K]> : Results<R[K]> };
/** Each procedure's answer as a load receives it through `createCaller`: dates are `Date` (and stay so on the way to the page). */
export type LoadOutputs = Results<AppRouter['_def']['record']>;
