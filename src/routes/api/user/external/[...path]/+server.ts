import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { handleOpenApiRequest } from '$lib/server/trpc/openapi-handler';

/** The external users routes at the exact paths of requirement doc external-users-new-api; the same adapter as /api/v1. */
const handler: RequestHandler = (event) => handleOpenApiRequest(event.request, () => createContext(event));

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
