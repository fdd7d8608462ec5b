import type { PageServerLoad } from './$types';
import { openApiDocument } from '$lib/server/trpc/openapi';
import { publicOrigin } from '$lib/server/public-origin';

interface Operation {
	method: string;
	path: string;
	summary: string;
	tags: string[];
	secured: boolean;
	parameters: Array<{ name: string; in: string; required: boolean }>;
	requestBody: string | null;
	response: string | null;
}

export const load: PageServerLoad = ({ request, url }) => {
	const doc = openApiDocument(publicOrigin(request, url));
	const operations: Operation[] = [];
	for (const [path, item] of Object.entries(doc.paths ?? {})) {
		for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
			const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema;
			const ok = (op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }> | undefined)?.['200']?.content?.['application/json']?.schema;
			operations.push({
				method: method.toUpperCase(),
				path,
				summary: String(op.summary ?? ''),
				tags: (op.tags as string[]) ?? [],
				secured: Array.isArray(op.security) && op.security.length > 0,
				parameters: ((op.parameters as Array<{ name: string; in: string; required?: boolean }>) ?? []).map((p) => ({
					name: p.name,
					in: p.in,
					required: p.required ?? false
				})),
				requestBody: body ? JSON.stringify(body, null, 2) : null,
				response: ok ? JSON.stringify(ok, null, 2) : null
			});
		}
	}
	return { title: doc.info.title, description: doc.info.description ?? '', base: doc.servers?.[0]?.url ?? '', operations };
};
