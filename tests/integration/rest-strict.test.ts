import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { log } from '../../src/lib/server/log';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { callerFor, contextFor, makeUser } from '../helpers/callers';
import { counts, makeModel } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();

async function rest(method: string, path: string, who: Parameters<typeof contextFor>[1], body?: unknown) {
	const init: RequestInit = { method };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		init.headers = { 'content-type': 'application/json' };
	}
	const res = await handleOpenApiRequest(new Request(`http://localhost/api/v1${path}`, init), () => contextFor(t.db, who));
	return { status: res.status, body: await res.json() };
}

/** Field names a 400 answer blames. */
function blamed(body: { issues?: { path: (string | number)[] }[] }): string[] {
	return (body.issues ?? []).map((i) => i.path.join('.'));
}

describe('REST bodies are JSON, validated as JSON', () => {
	it.each([
		['cost: null', { cost: null }, 'cost'],
		['user_id: true', { user_id: true }, 'user_id'],
		['input_tokens: null', { input_tokens: null }, 'input_tokens'],
		['input_tokens: ""', { input_tokens: '' }, 'input_tokens'],
		['input_tokens: []', { input_tokens: [] }, 'input_tokens'],
		['input_tokens: "1e3"', { input_tokens: '1e3' }, 'input_tokens'],
		['output_tokens: "100"', { output_tokens: '100' }, 'output_tokens'],
		['occurred_at: 0', { occurred_at: 0 }, 'occurred_at'],
		['occurred_at: true', { occurred_at: true }, 'occurred_at']
	])('refuses a usage event with %s, naming the field, and writes nothing', async (_label, patch, field) => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const before = await counts(t.db);
		const event = { request_id: `strict-${field}-${Math.random()}`, user_id: user.id, model: model.code, input_tokens: 100_000, output_tokens: 100_000, ...patch };
		const res = await rest('POST', '/usage', admin, event);
		expect(res.status).toBe(400);
		expect(res.body.code).toBe('BAD_REQUEST');
		expect(blamed(res.body)).toContain(field);
		expect(await counts(t.db)).toEqual(before);
	});

	it('refuses "false" for a boolean in recharge settings and a refund', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const settings = (await rest('GET', '/admin/recharge/settings', admin)).body;
		const res = await rest('PUT', '/admin/recharge/settings', admin, { ...settings, enabled: 'false' });
		expect(res.status).toBe(400);
		expect(blamed(res.body)).toContain('enabled');
		const refund = await rest('POST', '/admin/recharge/orders/no-such-order/refund', admin, { restore_eligibility: 'false' });
		expect(refund.status).toBe(400);
		expect(blamed(refund.body)).toContain('restore_eligibility');
	});

	it('keeps the tRPC and in-process paths strict after any number of REST calls', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		for (let i = 0; i < 3; i++) await rest('POST', '/usage', admin, { request_id: `warm-${i}`, user_id: user.id, model: model.code, input_tokens: 10, output_tokens: 10 });
		const caller = callerFor(t.db, admin);
		await expectCode(
			caller.usage.report({ request_id: 'after-rest', user_id: user.id, model: model.code, input_tokens: '5' as unknown as number, output_tokens: 1 }),
			'BAD_REQUEST'
		);
		await expectCode(caller.usage.report({ request_id: 'after-rest-2', user_id: user.id, model: model.code, output_tokens: 1, cost: null as unknown as number }), 'BAD_REQUEST');
	});

	it('refuses a body that is not a JSON object', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		for (const body of ['[]', 'null', '"text"', '42']) {
			const res = await rest('POST', '/usage', admin, body);
			expect(res.status, body).toBe(400);
		}
	});
});

describe('path and query parameters are parsed from text strictly', () => {
	it('does not read 0x10 as 16, and an id past the column range is 404', async () => {
		const user = await makeUser(t.db);
		for (let i = 0; i < 17; i++) await createApiKey(t.db, user.id, { name: `k${i}` });
		const hex = await rest('DELETE', '/keys/0x10', user);
		expect(hex.status).toBe(400);
		expect(blamed(hex.body)).toContain('id');
		for (const id of ['1e1', '+5', ' 5', '5.0', '-1']) expect((await rest('DELETE', `/keys/${encodeURIComponent(id)}`, user)).status, id).toBe(400);
		expect((await rest('DELETE', '/keys/99999999999', user)).status).toBe(404);
		const keys = (await rest('GET', '/keys', user)).body as { revoked_at: string | null }[];
		expect(keys.every((k) => k.revoked_at === null)).toBe(true);
	});

	it('parses decimal query numbers and refuses anything else, naming the parameter', async () => {
		const user = await makeUser(t.db);
		expect((await rest('GET', '/usage/records?limit=10', user)).status).toBe(200);
		for (const bad of ['0x10', '1e1', '', 'ten', '10.5']) {
			const res = await rest('GET', `/usage/records?limit=${encodeURIComponent(bad)}`, user);
			expect(res.status, bad).toBe(400);
			expect(blamed(res.body)).toContain('limit');
		}
		expect((await rest('GET', '/recharge/orders?all=yes', user)).status).toBe(400);
	});
});

describe('strings a database or a log cannot hold are refused at the boundary', () => {
	it.each([
		['a NUL byte in metadata', { metadata: { note: 'a\u0000b' } }, 'metadata.note'],
		['a NUL byte in a metadata key', { metadata: { 'a\u0000': 1 } }, 'metadata'],
		['a lone surrogate in the model', { model: 'gpt\uD800' }, 'model'],
		['a lone surrogate in the request id', { request_id: 'x\uDC00y' }, 'request_id']
	])('%s is a 400, not a 500', async (_label, patch, field) => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const before = await counts(t.db);
		const res = await rest('POST', '/usage', admin, { request_id: `nul-${Math.random()}`, user_id: user.id, model: model.code, input_tokens: 1, output_tokens: 1, ...patch });
		expect(res.status).toBe(400);
		expect(blamed(res.body)[0]).toContain(field.split('.')[0]);
		expect(await counts(t.db)).toEqual(before);
	});

	it('refuses NUL in a query parameter and in a tRPC call', async () => {
		const user = await makeUser(t.db);
		expect((await rest('GET', `/usage/records?model=${encodeURIComponent('a\u0000')}`, user)).status).toBe(400);
		await expectCode(callerFor(t.db, user).keys.create({ name: 'k\u0000' }), 'BAD_REQUEST');
	});
});

describe('unexpected errors', () => {
	it('answer internal_error with the request id, never the SQL, and are logged once with that id', async () => {
		const user = await makeUser(t.db);
		const logged = vi.spyOn(log, 'error');
		await t.db.execute(sql`alter table api_keys rename to api_keys_gone`);
		try {
			const res = await handleOpenApiRequest(
				new Request('http://localhost/api/v1/keys', { headers: { 'x-request-id': 'req-test-500' } }),
				() => ({ ...contextFor(t.db, user), requestId: 'req-test-500' })
			);
			expect(res.status).toBe(500);
			const body = await res.json();
			expect(body).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'internal_error', request_id: 'req-test-500' });
			expect(logged).toHaveBeenCalledTimes(1);
			expect(logged.mock.calls[0][0]).toMatchObject({ request_id: 'req-test-500', path: 'keys.list' });
			expect(String((logged.mock.calls[0][0] as { err: Error }).err.message)).toMatch(/api_keys/);
		} finally {
			logged.mockRestore();
			await t.db.execute(sql`alter table api_keys_gone rename to api_keys`);
		}
	});
});
