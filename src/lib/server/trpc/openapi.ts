import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from './root';

export const OPENAPI_BASE = '/api/v1';

let cached: OpenAPIObject | undefined;

export function openApiDocument(origin: string): OpenAPIObject {
	cached ??= generateOpenApiDocument(appRouter, {
		title: 'Tally API',
		description:
			'Credits, recharge and usage billing. Authenticate with `Authorization: Bearer <API key>` or a session cookie. Amounts named *credits* are integers; 10,000 credits = 1 unit of the display currency by default.',
		version: '1.0.0',
		baseUrl: OPENAPI_BASE,
		securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key (tly_…)' } }
	});
	return { ...cached, servers: [{ url: origin + OPENAPI_BASE }] };
}
