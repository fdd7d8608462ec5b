import type { z } from 'zod';

/**
 * Turns text (URL path and query parameters, form fields) into the JSON types an object schema
 * expects, strictly: a number field takes decimal digits only (`16`, not `0x10`, `1e1`, `+16` or
 * `16.0`), a boolean field `true` or `false`. Text that does not fit is passed on unchanged, so
 * the schema refuses it and names the field. Only keys of the schema are read.
 */
export function fromText(schema: z.ZodType, text: Record<string, string | string[]>): Record<string, unknown> {
	const shape = objectShape(schema);
	const out: Record<string, unknown> = {};
	for (const [key, raw] of Object.entries(text)) {
		const field = shape?.[key];
		if (!field) {
			out[key] = raw;
			continue;
		}
		const kind = baseKind(field);
		if (kind.type === 'array') {
			const items = Array.isArray(raw) ? raw : [raw];
			out[key] = items.map((item) => convert(kind.element, item));
		} else {
			out[key] = Array.isArray(raw) ? raw.map((item) => convert(kind.type, item)) : convert(kind.type, raw);
		}
	}
	return out;
}

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;

function convert(type: string, text: string): unknown {
	if (type === 'number' && DECIMAL_INTEGER.test(text)) return Number(text);
	if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
	return text;
}

interface ZodLike {
	_zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike; element?: ZodLike; shape?: Record<string, ZodLike>; schema?: ZodLike } };
}

/** The type a field finally takes, under optional, nullable, default and pipes. */
function baseKind(schema: ZodLike): { type: string; element: string } {
	let s = schema;
	for (;;) {
		const def = s._zod.def;
		if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' || def.type === 'readonly') && def.innerType) s = def.innerType;
		else if (def.type === 'pipe' && def.in) s = def.in;
		else break;
	}
	const def = s._zod.def;
	if (def.type === 'array' && def.element) return { type: 'array', element: baseKind(def.element).type };
	return { type: def.type, element: '' };
}

function objectShape(schema: z.ZodType): Record<string, ZodLike> | undefined {
	let s = schema as unknown as ZodLike;
	for (;;) {
		const def = s._zod.def;
		if (def.type === 'object') return def.shape;
		if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) s = def.innerType;
		else if (def.type === 'pipe' && def.in) s = def.in;
		else return undefined;
	}
}

/** Query-string parameters of a URL, repeated names as arrays; empty values are dropped (an empty filter field means "any") unless `keepEmpty`. */
export function searchText(url: URL, opts: { keepEmpty?: boolean } = {}): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of url.searchParams) {
		if (!opts.keepEmpty && value.trim() === '') continue;
		const prev = out[key];
		out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
	}
	return out;
}

/** One form field or URL parameter meant as an integer: its value when it is decimal digits, else NaN, which every number schema refuses. */
export function strictInt(text: FormDataEntryValue | null | undefined): number {
	const s = String(text ?? '').trim();
	return DECIMAL_INTEGER.test(s) ? Number(s) : Number.NaN;
}
