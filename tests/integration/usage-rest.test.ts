import { beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import type { AuthedKey, SessionUser } from '../../src/lib/server/auth/identity';
import { appRouter } from '../../src/lib/server/trpc/root';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeUser } from '../helpers/callers';
import { counts, makeModel } from '../helpers/usage';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000, CREDIT_LIMIT: 0 }));

function rest(method: string, path: string, user: SessionUser | null, apiKey: AuthedKey | null, body?: unknown) {
	const req = new Request(`http://tally.test/api/v1${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	return handleOpenApiRequest(req, () => contextFor(t.db, user, { apiKey }));
}

describe('usage REST routes', () => {
	it('are in the OpenAPI document', () => {
		const doc = generateOpenApiDocument(appRouter, { title: 't', version: '1', baseUrl: '/api/v1' });
		for (const path of ['/usage', '/usage/authorize', '/token-usage/balance', '/token-usage/summary', '/admin/credits/adjust', '/admin/models', '/models']) {
			expect(doc.paths?.[path], path).toBeDefined();
		}
	});

	it('settle over HTTP with a usage:write key, answer the shapes of requirement doc token-balance-arrears, and refuse bad bodies with 400', async () => {
		const owner = await makeUser(t.db, { role: 'service' });
		const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
		const service = { id: key.id, scopes: key.scopes };
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const id = `rest-${process.pid}-${Date.now()}`;

		const event = { request_id: id, user_id: user.id, model: model.code, input_tokens: 2, output_tokens: 3, occurred_at: new Date().toISOString(), metadata: { run: 'x' } };
		const one = await rest('POST', '/usage', owner, service, event);
		expect(one.status).toBe(200);
		expect(await one.json()).toMatchObject({ settled: 1, results: [{ request_id: id, status: 'settled', cost: 5, balance_after: 999_995 }] });
		const batch = await rest('POST', '/usage', owner, service, { events: [event] });
		expect(await batch.json()).toMatchObject({ duplicates: 1, results: [{ status: 'duplicate', cost: 5 }] });

		const before = await counts(t.db);
		expect((await rest('POST', '/usage', owner, service, '{"request_id": ')).status).toBe(400);
		expect((await rest('POST', '/usage', owner, service, { request_id: 'x', user_id: user.id, model: model.code, input_tokens: -5, output_tokens: 1 })).status).toBe(400);
		const unpriced = await rest('POST', '/usage', owner, service, { request_id: `${id}-u`, user_id: user.id, model: 'unpriced', input_tokens: 1, output_tokens: 1 });
		expect(unpriced.status).toBe(400);
		expect(await unpriced.json()).toMatchObject({ message: 'unknown_model' });
		expect((await rest('POST', '/usage', user, { id: 999, scopes: [] }, { request_id: `${id}-f`, user_id: user.id, model: model.code, input_tokens: 1, output_tokens: 1 })).status).toBe(403);
		expect(await counts(t.db)).toEqual(before);

		const auth = await rest('POST', '/usage/authorize', owner, service, { user_id: user.id, model: model.code, estimated_input_tokens: 10, max_output_tokens: 10 });
		expect(await auth.json()).toMatchObject({ allowed: true, reason: 'ok', available: 999_995, estimated_cost: 20 });

		const balance = await rest('GET', '/token-usage/balance', user, null);
		expect(await balance.json()).toEqual({ token_balance: 999_995, in_arrears: false, allowances: [], allowance_resets_at: null });
		const summary = await (await rest('GET', '/token-usage/summary', user, null)).json();
		expect(summary).toMatchObject({ token_balance: 999_995, today: { requests: 1, cost: 5, total_tokens: 5 } });
		const models = await (await rest('GET', '/models', user, null)).json();
		expect(models.find((m: { model: string }) => m.model === model.code)).toMatchObject({ input_price: 1_000_000, output_price: 1_000_000 });
	});

	it('admin routes: adjust and add a model price; others are refused', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const body = { user_id: user.id, amount: 1234, reason: 'goodwill', idempotency_key: `rest-adj-${Date.now()}` };
		const first = await rest('POST', '/admin/credits/adjust', admin, null, body);
		expect(await first.json()).toMatchObject({ amount: 1234, balance_after: 1_001_234, duplicate: false });
		expect(await (await rest('POST', '/admin/credits/adjust', admin, null, body)).json()).toMatchObject({ duplicate: true, balance_after: 1_001_234 });
		expect((await rest('POST', '/admin/credits/adjust', user, null, body)).status).toBe(403);

		const price = await rest('POST', '/admin/models', admin, null, { model: `rest-m-${Date.now()}`, provider: 'x', input_price: 10, output_price: 20, effective_from: '2025-01-01T00:00:00Z' });
		expect(price.status).toBe(200);
		expect(await price.json()).toMatchObject({ created: true });
		expect((await rest('POST', '/admin/models', user, null, { model: 'y', provider: 'x', input_price: 1, output_price: 1 })).status).toBe(403);
	});
});
