import type { RequestHandler } from './$types';
import { handleOpenApiRequest } from '$lib/server/trpc/openapi-handler';

const handler: RequestHandler = (event) => handleOpenApiRequest(event);

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
