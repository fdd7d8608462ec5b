import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { publicOrigin } from '$lib/server/public-origin';
import { openApiDocument } from '$lib/server/trpc/openapi';

export const GET: RequestHandler = ({ request, url }) => json(openApiDocument(publicOrigin(request, url)));
