import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { handleOpenApiRequest } from '$lib/server/trpc/openapi-handler';
import { databaseUnavailableResponse, noteDatabaseFailure } from '$lib/server/db/outage-response';

const handler: RequestHandler = async (event) => {
	try {
		const response = await handleOpenApiRequest(event.request, () => createContext(event));
		// A procedure that failed on the database answers SERVICE_UNAVAILABLE (trpc/init.ts).
		return response.status === 503 ? databaseUnavailableResponse(event) : response;
	} catch (err) {
		if (noteDatabaseFailure(err, event)) return databaseUnavailableResponse(event);
		throw err;
	}
};

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
