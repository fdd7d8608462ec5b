import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from './root';

export const OPENAPI_BASE = '/api/v1';

let cached: OpenAPIObject | undefined;

export function openApiDocument(origin: string): OpenAPIObject {
	cached ??= generateOpenApiDocument(appRouter, {
		title: 'Tally API',
		description:
			'Credits, recharge and usage billing. Authenticate with `Authorization: Bearer <API key>` or a session cookie. Amounts named *credits* are integers; 10,000 credits = 1 unit of the display currency by default.\n\n' +
			'An API key does only what its scopes say, never more than its owner may; keys are made, listed and revoked only from a signed-in session or the CLI. ' +
			'Scopes: `usage:read` — the owner\'s balance, usage, wallet history, orders and models; ' +
			'`usage:write:own` — report/authorize usage for the key\'s owner only (others: 403 `not_own_usage`); ' +
			'`usage:write` — report/authorize usage for **any user**: it can bill anyone, so only admins and service accounts may hold it, for platform gateways; ' +
			'`groups:manage` — the groups API (admin or service owner); `users:sync` — reserved; `admin` — admin procedures (admin owner). ' +
			'A key with no scope reaches only `GET /me`.',
		version: '1.0.0',
		baseUrl: OPENAPI_BASE,
		securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key (tly_…)' } }
	});
	return { ...cached, servers: [{ url: origin + OPENAPI_BASE }] };
}
