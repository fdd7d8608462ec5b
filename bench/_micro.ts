import { handleOpenApiRequest, type RestRequest } from '../src/lib/server/trpc/openapi-handler';
import { compressResponse } from '../src/lib/server/http/compress';
import { withSecurityHeaders } from '../src/lib/server/http/security-headers';
import { hashKey } from '../src/lib/server/auth/api-keys';
import type { Context } from '../src/lib/server/trpc/context';
const body = '{"request_id":"x-1-1","user_id":0,"model":"m","input_tokens":300,"output_tokens":80}';
const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length), authorization: 'Bearer tly_abc' };
const req = (): RestRequest => ({ method: 'POST', url: 'http://metering/api/v1/usage', headers: { get: (n) => headers[n] ?? null }, text: async () => body });
const ctx = { db: null as never, user: { id: 1, email: 'a', name: 'a', role: 'service', locale: 'en' }, sessionId: null, apiKey: { id: 1, scopes: ['usage:write'] }, ip: '1', cookies: null, secureCookies: false, requestId: 'r' } as unknown as Context;
async function time(name: string, n: number, f: () => Promise<unknown> | unknown) {
	for (let i = 0; i < 200; i++) await f();
	const t = performance.now();
	for (let i = 0; i < n; i++) await f();
	console.log(name, ((performance.now() - t) * 1000 / n).toFixed(1), 'us/op');
}
await time('handleOpenApiRequest invalid', 3000, () => handleOpenApiRequest(req(), () => ctx));
const r = await handleOpenApiRequest(req(), () => ctx);
console.log(r.status, await r.text());
await time('compress+security+buffer', 3000, async () => {
	const res = withSecurityHeaders(await compressResponse(req(), new Response('{"a":1}', { status: 200, headers: { 'content-type': 'application/json' } })));
	const h: Record<string, string> = {};
	res.headers.forEach((v, k) => (h[k] = v));
	return Buffer.from(await res.arrayBuffer());
});
await time('hashKey', 3000, () => hashKey('tly_abcdefghijklmnopqrstuvwxyz0123456789abcd'));
import { answerRestRequest } from '../src/lib/server/trpc/openapi-handler';
await time('answerRestRequest invalid', 3000, () => answerRestRequest(req(), () => ctx));
