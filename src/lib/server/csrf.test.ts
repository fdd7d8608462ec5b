import { describe, expect, it } from 'vitest';
import { crossSiteFormPost } from './csrf';
import { servedOverHttps } from './auth/session';

function post(path: string, headers: Record<string, string>) {
	const url = new URL(`https://127.0.0.1:3000${path}`);
	return { request: new Request(url, { method: 'POST', headers, body: 'a=1' }), url };
}

describe('cross-site form posts', () => {
	it('accepts a form from our own page, whatever protocol adapter-node assumed', () => {
		const { request, url } = post('/login', { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' });
		expect(crossSiteFormPost(request, url)).toBe(false);
	});

	it('refuses a form posted from another site or without an Origin', () => {
		const evil = post('/keys?/create', { origin: 'https://evil.example', host: '127.0.0.1:3000', 'content-type': 'multipart/form-data; boundary=x' });
		expect(crossSiteFormPost(evil.request, evil.url)).toBe(true);
		const bare = post('/logout', { host: '127.0.0.1:3000', 'content-type': 'text/plain' });
		expect(crossSiteFormPost(bare.request, bare.url)).toBe(true);
	});

	it('lets JSON calls and payment notifications through (they are authenticated otherwise)', () => {
		const json = post('/api/v1/usage', { origin: 'https://evil.example', host: '127.0.0.1:3000', 'content-type': 'application/json' });
		expect(crossSiteFormPost(json.request, json.url)).toBe(false);
		const alipay = post('/api/v1/payments/alipay/notify', { host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' });
		expect(crossSiteFormPost(alipay.request, alipay.url)).toBe(false);
	});
});

describe('secure cookies', () => {
	it('follow ORIGIN, else the proxy header', () => {
		const plain = new Request('http://localhost:3000/');
		expect(servedOverHttps(plain, undefined)).toBe(false);
		expect(servedOverHttps(plain, 'https://tally.example.com')).toBe(true);
		expect(servedOverHttps(plain, 'http://localhost:3000')).toBe(false);
		expect(servedOverHttps(new Request('http://x/', { headers: { 'x-forwarded-proto': 'https' } }), undefined)).toBe(true);
	});
});
