import { Validator, type Schema } from '@cfworker/json-schema';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { openApiDocument } from '../../src/lib/server/trpc/openapi';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

/**
 * Every operation of the OpenAPI document, fed inputs a careless client or an attacker sends:
 * wrong JSON types for each field, missing and extra fields, huge numbers, NUL and lone
 * surrogates, deep nesting, big bodies, odd path parameters. Never a 5xx, never a write to a
 * money table, and every answer matches the schema the document gives for its status.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

const t = useTestDatabase();
const doc = openApiDocument('http://localhost');
type Json = Record<string, unknown>;

let admin: SessionUser;

beforeAll(async () => {
	admin = await makeUser(t.db, { role: 'admin' });
	await makeModel(t.db);
});

async function moneyState() {
	const [row] = await t.db.execute<Record<string, string>>(sql`
		select (select count(*) from ledger_entries) as entries,
		       (select coalesce(sum(balance), 0) from wallets) as balances,
		       (select count(*) from usage_records) as usage,
		       (select count(*) from orders) as orders,
		       (select count(*) from first_recharge_bonus_log) as bonuses`);
	return row;
}

function resolve(schema: unknown): Json {
	let s = schema as Json;
	while (s && typeof s.$ref === 'string') {
		const path = (s.$ref as string).replace(/^#\//, '').split('/');
		s = path.reduce<Json>((node, key) => node[key] as Json, doc as unknown as Json);
	}
	return s ?? {};
}

function typesOf(schema: Json): Set<string> {
	const s = resolve(schema);
	const out = new Set<string>();
	if (typeof s.type === 'string') out.add(s.type);
	if (Array.isArray(s.type)) for (const x of s.type) out.add(x);
	for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[key])) for (const sub of s[key] as Json[]) for (const x of typesOf(sub)) out.add(x);
	return out;
}

const evilText = fc.constantFrom('a\u0000b', '\uD800', 'x\uDFFFy', '', ' ', '0x10', '1e3', '-0', 'NaN', '"', '\\', '../../etc', '𝕏'.repeat(50), 'a'.repeat(5000));
const hugeNumber = fc.constantFrom(2 ** 53, -(2 ** 53), 1e308, -1e308, 2_147_483_648, 9_999_999_999_999, 0.5, -1, 1.0000001);
function deep(depth: number): unknown {
	let v: unknown = 1;
	for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
	return v;
}

/** A value of a JSON type the field does not take (so the input is always invalid). */
function wrongFor(schema: Json): fc.Arbitrary<unknown> {
	const types = typesOf(schema);
	const pool: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.constant(deep(40)), fc.constant([])];
	if (!types.has('string')) pool.push(evilText, fc.string());
	if (!types.has('integer') && !types.has('number')) pool.push(hugeNumber, fc.integer());
	if (!types.has('boolean')) pool.push(fc.boolean());
	if (!types.has('object')) pool.push(fc.constant({ nested: { x: 'a\u0000' } }));
	if (types.has('integer') || types.has('number')) pool.push(hugeNumber.filter((n) => !Number.isSafeInteger(n) || n < 0));
	if (types.has('string')) pool.push(fc.constantFrom('a\u0000b', '\uD800', 'x\uDFFFy'));
	return fc.oneof(...pool);
}

function bodyArbitrary(bodySchema: Json | undefined): fc.Arbitrary<unknown> {
	const extra = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
	const properties = (resolve(bodySchema ?? {}).properties ?? {}) as Record<string, Json>;
	const names = Object.keys(properties);
	const oddBodies = fc.constantFrom<unknown>('[]', 'null', '"x"', '7', '{"a":', 'x'.repeat(2 * 1024 * 1024), JSON.stringify(deep(200)));
	if (names.length === 0) return fc.oneof(extra, oddBodies);
	// Some fields wrong (at least one), some missing, some extra.
	const broken = fc
		.record({
			wrong: fc.subarray(names, { minLength: 1 }),
			keep: fc.subarray(names),
			extra
		})
		.chain(({ wrong, keep, extra }) =>
			fc.record(Object.fromEntries(wrong.map((n) => [n, wrongFor(properties[n])]))).map((bad) => {
				const out: Json = { ...extra };
				for (const n of keep) out[n] = properties[n].default ?? 'x';
				return { ...out, ...bad };
			})
		);
	return fc.oneof({ weight: 4, arbitrary: broken }, { weight: 1, arbitrary: oddBodies });
}

/**
 * Percent-encoding, with a lone surrogate sent as the invalid UTF-8 a careless client would send.
 * `.` and `..` (even as %2E) are dot segments that URL resolution removes (`/x/.` is `/x/`) before
 * any server sees them, so they would fuzz another route: `...` is sent instead.
 */
function encode(text: string): string {
	try {
		return text === '.' || text === '..' ? '...' : encodeURIComponent(text);
	} catch {
		return '%ED%A0%80';
	}
}

const pathText = fc.oneof(fc.constantFrom('0', '-1', '0x10', '1e3', '99999999999', '2147483648', '%00', '%D8%00', '..', '%2F', 'abc', '1.5'), fc.string({ minLength: 1, maxLength: 12 }).map(encode));

function queryArbitrary(params: Array<{ name: string; in: string; schema?: Json }>): fc.Arbitrary<string> {
	const query = params.filter((p) => p.in === 'query');
	if (query.length === 0) return fc.constant('');
	return fc
		.array(fc.tuple(fc.constantFrom(...query.map((p) => p.name), 'unknown'), fc.oneof(pathText, evilText.map(encode))), { minLength: 1, maxLength: 4 })
		.map((pairs) => '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

const errorSchema = { ...resolve({ $ref: '#/components/schemas/Error' }), components: doc.components } as unknown as Schema;
const errorValidator = new Validator(errorSchema, '2020-12', false);

function responseValidator(op: Json, status: number): Validator | null {
	const response = resolve((op.responses as Json)[String(status)]);
	const schema = (response.content as Json | undefined)?.['application/json'] as Json | undefined;
	if (!schema?.schema) return null;
	return new Validator({ ...(schema.schema as Json), components: doc.components } as unknown as Schema, '2020-12', false);
}

const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
	Object.entries(item as Record<string, Json>).map(([method, op]) => ({ path, method: method.toUpperCase(), op }))
);

describe('REST fuzz from the OpenAPI document', () => {
	it('covers every operation', () => {
		expect(operations.length).toBeGreaterThan(25);
	});

	it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s: never a 5xx, never a money write, answers as documented', async (_name, { path, method, op }) => {
		const params = ((op.parameters as Array<{ name: string; in: string; schema?: Json }>) ?? []).map((p) => ({ ...p, schema: resolve(p.schema) }));
		const pathParams = params.filter((p) => p.in === 'path');
		const bodySchema = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
		const documented = new Set(Object.keys(op.responses as Json).map(Number));
		const before = await moneyState();

		await fc.assert(
			fc.asyncProperty(
				fc.tuple(...pathParams.map(() => pathText)),
				queryArbitrary(params),
				method === 'GET' || method === 'DELETE' ? fc.constant(undefined) : bodyArbitrary(bodySchema?.schema as Json | undefined),
				fc.constantFrom<'admin' | 'nobody'>('admin', 'admin', 'admin', 'nobody'),
				async (pathValues, query, body, who) => {
					let url = path;
					pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, pathValues[i])));
					const init: RequestInit = { method };
					if (body !== undefined) {
						init.body = typeof body === 'string' ? body : JSON.stringify(body);
						init.headers = { 'content-type': 'application/json' };
					}
					const res = await handleOpenApiRequest(new Request(`http://localhost/api${url}${query}`, init), () =>
						contextFor(t.db, who === 'admin' ? admin : null)
					);
					const text = await res.text();
					const label = `${method} ${url}${query} ${String(init.body ?? '').slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
					expect(res.status, label).toBeLessThan(500);
					if (res.status >= 400) {
						expect(documented.has(res.status) || res.status === 405, label).toBe(true);
						const valid = errorValidator.validate(JSON.parse(text));
						expect(valid.valid, `${label} ${JSON.stringify(valid.errors.slice(0, 2))}`).toBe(true);
					} else {
						const validator = responseValidator(op, res.status);
						if (validator) {
							const valid = validator.validate(JSON.parse(text));
							expect(valid.valid, `${label} ${JSON.stringify(valid.errors.slice(0, 2))}`).toBe(true);
						}
					}
				}
			),
			{ numRuns: RUNS }
		);
		expect(await moneyState()).toEqual(before);
	});
});
