import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/hooks.server';
import { setAppDatabase } from '../../src/lib/server/db/instance';
import { POST as trpcPost, GET as trpcGet } from '../../src/routes/api/trpc/[...trpc]/+server';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { requestEvent, throughHandle } from '../helpers/events';

const t = useTestDatabase();
beforeAll(() => setAppDatabase({ db: t.db, sql: t.sql, close: async () => {}, source: 'test', shutdown: async () => {} }));

function event(url: string, init: RequestInit = {}) {
	return requestEvent(new Request(url, init));
}

// A page the size of a dashboard: repetitive markup, as SvelteKit renders it.
const pageHtml = `<!doctype html><html lang="%lang%"><body>${'<tr class="row"><td class="cell">2026-01-01</td><td>gpt-4o</td><td>¥1.23</td></tr>'.repeat(400)}</body></html>`;

async function throughHook(url: string, answer: () => Response, headers: Record<string, string> = {}) {
	return throughHandle(handle, { event: event(url, { headers }), resolve: async () => answer() });
}

describe('security headers', () => {
	it('are on a page and on an API answer', async () => {
		const page = await throughHook('http://127.0.0.1/dashboard', () => new Response(pageHtml, { headers: { 'content-type': 'text/html' } }));
		const api = await throughHook('http://127.0.0.1/api/v1/me', () => Response.json({ message: 'x' }, { status: 401 }));
		for (const res of [page, api]) {
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('permissions-policy')).toContain('camera=()');
		}
		// The API answer has no page of its own to protect: nothing may load or frame it.
		expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
	});

	it("keep a page's own policy (SvelteKit's, with nonces) instead of replacing it", async () => {
		const csp = "default-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'none'";
		const page = await throughHook('http://127.0.0.1/dashboard', () => new Response(pageHtml, { headers: { 'content-type': 'text/html', 'content-security-policy': csp } }));
		expect(page.headers.get('content-security-policy')).toBe(csp);
	});
});

describe('compression', () => {
	it('gzips a page when the client accepts it, and the body is smaller', async () => {
		const plain = await throughHook('http://127.0.0.1/dashboard', () => new Response(pageHtml, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
		const plainBytes = Buffer.from(await plain.arrayBuffer());
		expect(plain.headers.get('content-encoding')).toBeNull();

		const zipped = await throughHook(
			'http://127.0.0.1/dashboard',
			() => new Response(pageHtml, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
			{ 'accept-encoding': 'gzip, deflate' }
		);
		expect(zipped.headers.get('content-encoding')).toBe('gzip');
		expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
		const zippedBytes = Buffer.from(await zipped.arrayBuffer());
		expect(zippedBytes.length).toBeLessThan(plainBytes.length / 5);
		expect(gunzipSync(zippedBytes).equals(plainBytes)).toBe(true);
	});

	it('prefers brotli, and leaves small answers, images and already-encoded bodies alone', async () => {
		const br = await throughHook('http://127.0.0.1/dashboard', () => new Response(pageHtml, { headers: { 'content-type': 'text/html' } }), {
			'accept-encoding': 'gzip, br'
		});
		expect(br.headers.get('content-encoding')).toBe('br');
		const small = await throughHook('http://127.0.0.1/api/v1/me', () => Response.json({ ok: true }), { 'accept-encoding': 'gzip' });
		expect(small.headers.get('content-encoding')).toBeNull();
		const image = await throughHook('http://127.0.0.1/x.png', () => new Response(new Uint8Array(5000), { headers: { 'content-type': 'image/png' } }), {
			'accept-encoding': 'gzip'
		});
		expect(image.headers.get('content-encoding')).toBeNull();
	});
});

describe('tRPC batches', () => {
	it('refuses a batch of more than 20 calls with a 400, and answers one of 20', async () => {
		const user = await makeUser(t.db);
		const calls = (n: number) => Array.from({ length: n }, () => 'auth.me').join(',');
		const locals = { db: t.db, user, sessionId: null, apiKey: null, locale: 'en' };
		const call = (n: number) => {
			const e = event(`http://127.0.0.1/api/trpc/${calls(n)}?batch=1&input=%7B%7D`) as { locals: unknown };
			e.locals = locals;
			return trpcGet(e as never);
		};
		const ok = await call(20);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toHaveLength(20);
		const refused = await call(21);
		expect(refused.status).toBe(400);
		const post = event(`http://127.0.0.1/api/trpc/${Array.from({ length: 50 }, () => 'auth.setLocale').join(',')}?batch=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, { locale: 'en' }])))
		}) as { locals: unknown };
		post.locals = locals;
		expect((await trpcPost(post as never)).status).toBe(400);
	});
});
