import { marked } from 'marked';
import type { PageServerLoad } from './$types';
import { openApiDocument } from '$lib/server/trpc/openapi';
import { publicOrigin } from '$lib/server/public-origin';
import { quickStartMarkdown } from './quick-start';

type Json = Record<string, unknown>;

export interface Field {
	name: string;
	type: string;
	required: boolean;
	description: string;
}

interface Operation {
	method: string;
	path: string;
	summary: string;
	/** Markdown of the operation's description, rendered. */
	descriptionHtml: string;
	tag: string;
	/** Who may call it: init.ts `Access` (`scope:usage:read`, `session`, `public`, …). */
	access: string;
	parameters: Field[];
	bodyFields: Field[];
	responseFields: Field[];
	errors: Array<{ status: string; description: string }>;
	requestBody: string | null;
	response: string | null;
}

/**
 * Our own text only (the document and the quick start), so rendering it as HTML is safe. A code
 * block may scroll sideways, so it takes keyboard focus (axe: scrollable-region-focusable).
 */
const html = (markdown: string) => marked.parse(markdown, { async: false }).replaceAll('<pre>', '<pre tabindex="0">');

function typeOf(schema: Json | undefined): string {
	if (!schema) return '';
	const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
	if (variants) return variants.map(typeOf).join(' | ');
	if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
	if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
	const base = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
	return schema.format ? `${base} (${String(schema.format)})` : base;
}

/** The top-level properties of an object schema (an anyOf of objects lists each one's fields once). */
function fieldsOf(schema: Json | undefined): Field[] {
	if (!schema) return [];
	const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
	if (variants) {
		const seen = new Map<string, Field>();
		for (const v of variants) for (const f of fieldsOf(v)) if (!seen.has(f.name)) seen.set(f.name, f);
		return [...seen.values()];
	}
	const properties = (schema.properties ?? {}) as Record<string, Json>;
	const required = new Set((schema.required as string[] | undefined) ?? []);
	return Object.entries(properties).map(([name, prop]) => ({
		name,
		type: typeOf(prop),
		required: required.has(name),
		description: String(prop.description ?? '')
	}));
}

export const load: PageServerLoad = ({ request, url, locals }) => {
	const doc = openApiDocument(publicOrigin(request, url));
	const base = doc.servers?.[0]?.url ?? '';
	const responses = ((doc.components as Json | undefined)?.responses ?? {}) as Record<string, { description?: string }>;
	const operations: Operation[] = [];
	for (const [path, item] of Object.entries(doc.paths ?? {})) {
		for (const [method, op] of Object.entries(item as Record<string, Json>)) {
			const body = (op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined)?.content?.['application/json']?.schema;
			const answers = (op.responses ?? {}) as Record<string, Json>;
			const ok = (answers['200'] as { content?: Record<string, { schema?: Json }> } | undefined)?.content?.['application/json']?.schema;
			operations.push({
				method: method.toUpperCase(),
				path,
				summary: String(op.summary ?? ''),
				descriptionHtml: op.description ? html(String(op.description)) : '',
				tag: ((op.tags as string[] | undefined) ?? [])[0] ?? 'other',
				access: String(op['x-access'] ?? (Array.isArray(op.security) && op.security.length > 0 ? 'session' : 'public')),
				parameters: ((op.parameters as Array<{ name: string; in: string; required?: boolean; description?: string; schema?: Json }>) ?? []).map((p) => ({
					name: p.name,
					type: `${typeOf(p.schema)} · ${p.in}`,
					required: p.required ?? false,
					description: p.description ?? ''
				})),
				bodyFields: fieldsOf(body),
				responseFields: fieldsOf(ok),
				errors: Object.entries(answers)
					.filter(([status]) => status !== '200')
					.map(([status, answer]) => {
						const ref = String((answer as { $ref?: string }).$ref ?? '').split('/').pop() ?? '';
						return { status, description: responses[ref]?.description ?? String((answer as { description?: string }).description ?? '') };
					}),
				requestBody: body ? JSON.stringify(body, null, 2) : null,
				response: ok ? JSON.stringify(ok, null, 2) : null
			});
		}
	}
	return {
		title: doc.info.title,
		descriptionHtml: html(doc.info.description ?? ''),
		quickStartHtml: html(quickStartMarkdown(locals.locale, base)),
		base,
		signedIn: locals.user !== null && locals.user !== undefined,
		operations
	};
};
