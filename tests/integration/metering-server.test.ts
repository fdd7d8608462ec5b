import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/hooks.server';
import { POST } from '../../src/routes/api/v1/[...path]/+server';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { apiKeys } from '../../src/lib/server/db/schema';
import { config, overrideConfig } from '../../src/lib/server/config';
import { setAppDatabase } from '../../src/lib/server/db/instance';
import { isMeteringRequest, serveMetering } from '../../src/lib/server/http/metering-server';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { requestEvent, throughHandle } from '../helpers/events';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
let server: http.Server;
let base: string;
let gateway: string;
let readOnly: string;
let userId: number;
let model: string;

beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000 });
	setAppDatabase({ db: t.db, sql: t.sql, close: async () => {}, source: 'test', shutdown: async () => {} });
	// Requests the metering server declines answer 599 here, so a test notices one that slipped through.
	server = http.createServer((req, res) => {
		if (isMeteringRequest(req)) return void serveMetering(req, res);
		res.writeHead(599).end();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const owner = await makeUser(t.db, { role: 'service' });
	gateway = (await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] })).key;
	readOnly = (await createApiKey(t.db, owner.id, { name: 'ro', scopes: ['usage:read'] })).key;
	userId = (await makeUser(t.db)).id;
	model = (await makeModel(t.db, 1_000_000, 1_000_000)).code;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const COMPARED_HEADERS = [
	'content-type',
	'content-encoding',
	'vary',
	'www-authenticate',
	'retry-after',
	'x-request-id',
	'x-content-type-options',
	'referrer-policy',
	'x-frame-options',
	'permissions-policy',
	'content-security-policy'
];

interface Answer {
	status: number;
	headers: Record<string, string | null>;
	body: string;
}

/** `fetched`: fetch() has already decoded a compressed body; a Response from the hook has not. */
async function read(response: Response, fetched: boolean): Promise<Answer> {
	const headers = Object.fromEntries(COMPARED_HEADERS.map((h) => [h, response.headers.get(h)]));
	const bytes = Buffer.from(await response.arrayBuffer());
	const encoding = fetched ? null : headers['content-encoding'];
	const body = encoding === 'gzip' ? gunzipSync(bytes) : encoding === 'br' ? brotliDecompressSync(bytes) : bytes;
	return { status: response.status, headers, body: body.toString('utf8') };
}

type Call = { path: string; key: string; body: string; headers?: Record<string, string> };

function headersOf(call: Call) {
	return { authorization: `Bearer ${call.key}`, 'content-type': 'application/json', 'x-request-id': 'req-metering-test', 'accept-encoding': 'identity', ...call.headers };
}

/** The same request through the metering server and through SvelteKit's hook and the REST route. */
async function both(call: Call): Promise<[Answer, Answer]> {
	const direct = await read(await fetch(`${base}/api/v1${call.path}`, { method: 'POST', headers: headersOf(call), body: call.body }), true);
	const request = new Request(`http://tally.test/api/v1${call.path}`, { method: 'POST', headers: headersOf(call), body: call.body });
	const kit = await read(await throughHandle(handle, { event: requestEvent(request), resolve: (event) => POST(event as never) }), false);
	return [direct, kit];
}

let seq = 0;
const event = (extra: Record<string, unknown> = {}) =>
	JSON.stringify({ request_id: `ms-${process.pid}-${seq++}`, user_id: userId, model, input_tokens: 3, output_tokens: 4, ...extra });

describe('the metering server answers exactly as the REST API through SvelteKit', () => {
	it.each([
		['an unknown key', () => ({ path: '/usage', key: 'tly_nosuchkey', body: event() })],
		['a key without usage:write', () => ({ path: '/usage', key: readOnly, body: event() })],
		['broken JSON', () => ({ path: '/usage', key: gateway, body: '{"request_id": ' })],
		['a string where a number belongs', () => ({ path: '/usage', key: gateway, body: event({ input_tokens: '3' }) })],
		['null where a number belongs', () => ({ path: '/usage', key: gateway, body: event({ output_tokens: null }) })],
		['an unpriced model', () => ({ path: '/usage', key: gateway, body: event({ model: 'no-such-model' }) })],
		['a body that is not an object', () => ({ path: '/usage', key: gateway, body: '[1,2]' })],
		['an authorization check', () => ({ path: '/usage/authorize', key: gateway, body: JSON.stringify({ user_id: userId, model, estimated_input_tokens: 10, max_output_tokens: 10 }) })],
		['a release of no hold', () => ({ path: '/usage/holds/none-such/release', key: gateway, body: '{}' })],
		['a big batch, compressed', () => ({ path: '/usage', key: gateway, body: JSON.stringify({ events: Array.from({ length: 30 }, () => JSON.parse(event({ model: 'no-such-model' }))) }), headers: { 'accept-encoding': 'gzip' } })],
		['a big batch, brotli', () => ({ path: '/usage', key: gateway, body: JSON.stringify({ events: Array.from({ length: 30 }, () => JSON.parse(event({ model: 'no-such-model' }))) }), headers: { 'accept-encoding': 'br, gzip' } })],
		['a small answer to a client accepting gzip', () => ({ path: '/usage', key: gateway, body: event({ model: 'no-such-model' }), headers: { 'accept-encoding': 'gzip' } })],
		['a client sending no accept-encoding', () => ({ path: '/usage', key: gateway, body: event({ model: 'no-such-model' }), headers: { 'accept-encoding': '' } })]
	])('%s', async (_, make) => {
		const [direct, kit] = await both(make());
		expect(direct).toEqual(kit);
	});

	it('a settled event is a duplicate on the other path, with the same answer', async () => {
		const body = event();
		const direct = await fetch(`${base}/api/v1/usage`, { method: 'POST', headers: headersOf({ path: '', key: gateway, body }), body });
		expect(direct.status).toBe(200);
		const first = (await direct.json()) as { results: Array<Record<string, unknown>> };
		expect(first.results[0].status).toBe('settled');
		const [again, kit] = await both({ path: '/usage', key: gateway, body });
		expect(again).toEqual(kit);
		const repeat = JSON.parse(kit.body) as { results: Array<Record<string, unknown>> };
		expect(repeat.results[0]).toEqual({ ...first.results[0], status: 'duplicate' });
	});

	it('takes only the metering routes with a bearer key and a JSON body; everything else goes to SvelteKit', async () => {
		const post = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: 'POST', headers, body: event() });
		const json = { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' };
		expect((await post('/api/v1/usage', json)).status).toBe(200);
		expect((await post('/api/v1/admin/models', json)).status).toBe(599);
		expect((await post('/api/v1/usage', { 'content-type': 'application/json' })).status).toBe(599);
		expect((await post('/api/v1/usage', { ...json, 'content-type': 'text/plain' })).status).toBe(599);
		expect((await fetch(`${base}/api/v1/usage`, { headers: { authorization: `Bearer ${gateway}` } })).status).toBe(599);
	});

	it('a key revoked by another process stops working within API_KEY_CACHE_SECONDS, on both paths', async () => {
		const bound = config().API_KEY_CACHE_SECONDS;
		overrideConfig({ API_KEY_CACHE_SECONDS: 1 });
		try {
			const owner = await makeUser(t.db, { role: 'service' });
			const key = await createApiKey(t.db, owner.id, { name: 'revoked soon', scopes: ['usage:write'] });
			const call = () => ({ path: '/usage', key: key.key, body: event() });
			const [before] = await both(call());
			expect(before.status).toBe(200);
			// Another app process revokes it: only the database changes here, this process's check is still cached.
			await t.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
			await new Promise((r) => setTimeout(r, 1_000));
			const [direct, kit] = await both(call());
			expect(direct.status).toBe(401);
			expect(direct).toEqual(kit);
		} finally {
			overrideConfig({ API_KEY_CACHE_SECONDS: bound });
		}
	});
});
