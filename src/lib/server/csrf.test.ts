import { describe, expect, it } from 'vitest';
import { crossSiteFormPost } from './csrf';
import { servedOverHttps } from './auth/session';

const FORM = 'application/x-www-form-urlencoded';

/** `url` is what SvelteKit hands the hook; adapter-node calls it https when ORIGIN is unset, whatever the browser used. */
function post(url: string, headers: Record<string, string>) {
	const parsed = new URL(url);
	return { request: new Request(parsed, { method: 'POST', headers, body: 'a=1' }), url: parsed };
}

const direct = { trustProxy: false, origin: undefined };
const proxied = { trustProxy: true, origin: undefined };
const configured = { trustProxy: false, origin: 'https://tally.example.com' };

describe('cross-site form posts', () => {
	it('accepts a form from our own page', () => {
		// No ORIGIN: the app's own server speaks plain HTTP on the Host the browser used.
		const { request, url } = post('https://127.0.0.1:3000/login', { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'content-type': FORM });
		expect(crossSiteFormPost(request, url, direct)).toBe(false);
		const secure = post('https://tally.example.com/login', { origin: 'https://tally.example.com', host: '10.0.0.5:3000', 'content-type': FORM });
		expect(crossSiteFormPost(secure.request, secure.url, configured)).toBe(false);
		const defaultPort = post('https://tally.example.com/login', { origin: 'https://tally.example.com:443', 'content-type': FORM });
		expect(crossSiteFormPost(defaultPort.request, defaultPort.url, configured)).toBe(false);
	});

	it('refuses a form posted from another site or without an Origin', () => {
		const evil = post('https://127.0.0.1:3000/keys?/create', { origin: 'https://evil.example', host: '127.0.0.1:3000', 'content-type': 'multipart/form-data; boundary=x' });
		expect(crossSiteFormPost(evil.request, evil.url, direct)).toBe(true);
		const bare = post('https://127.0.0.1:3000/logout', { host: '127.0.0.1:3000', 'content-type': 'text/plain' });
		expect(crossSiteFormPost(bare.request, bare.url, direct)).toBe(true);
		const opaque = post('https://127.0.0.1:3000/logout', { origin: 'null', 'content-type': FORM });
		expect(crossSiteFormPost(opaque.request, opaque.url, direct)).toBe(true);
	});

	it('compares the scheme and the port, not only the host name', () => {
		const plainPage = post('https://tally.example.com/login', { origin: 'http://tally.example.com', host: 'tally.example.com', 'content-type': FORM });
		expect(crossSiteFormPost(plainPage.request, plainPage.url, configured)).toBe(true);
		const tlsWithoutSetting = post('https://tally.example.com/login', { origin: 'https://tally.example.com', host: 'tally.example.com', 'content-type': FORM });
		expect(crossSiteFormPost(tlsWithoutSetting.request, tlsWithoutSetting.url, direct)).toBe(true);
		const otherPort = post('https://127.0.0.1:3000/login', { origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000', 'content-type': FORM });
		expect(crossSiteFormPost(otherPort.request, otherPort.url, direct)).toBe(true);
	});

	it('ignores X-Forwarded-Host and X-Forwarded-Proto unless TRUST_PROXY says a proxy sets them', () => {
		const headers = { origin: 'https://evil.example', host: 'tally.example.com', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'content-type': FORM };
		const spoofed = post('https://tally.example.com/keys?/create', headers);
		expect(crossSiteFormPost(spoofed.request, spoofed.url, direct)).toBe(true);
		expect(crossSiteFormPost(spoofed.request, spoofed.url, configured)).toBe(true);

		const behindProxy = { origin: 'https://tally.example.com', host: '10.0.0.5:3000', 'x-forwarded-host': 'tally.example.com', 'x-forwarded-proto': 'https', 'content-type': FORM };
		const viaProxy = post('https://10.0.0.5:3000/login', behindProxy);
		expect(crossSiteFormPost(viaProxy.request, viaProxy.url, proxied)).toBe(false);
		expect(crossSiteFormPost(viaProxy.request, viaProxy.url, direct)).toBe(true);
		const wrongScheme = post('https://10.0.0.5:3000/login', { ...behindProxy, origin: 'http://tally.example.com' });
		expect(crossSiteFormPost(wrongScheme.request, wrongScheme.url, proxied)).toBe(true);
	});

	it('lets JSON calls and payment notifications through (they are authenticated otherwise)', () => {
		const json = post('https://127.0.0.1:3000/api/v1/usage', { origin: 'https://evil.example', host: '127.0.0.1:3000', 'content-type': 'application/json' });
		expect(crossSiteFormPost(json.request, json.url, direct)).toBe(false);
		const alipay = post('https://127.0.0.1:3000/api/v1/payments/alipay/notify', { host: '127.0.0.1:3000', 'content-type': FORM });
		expect(crossSiteFormPost(alipay.request, alipay.url, direct)).toBe(false);
	});
});

describe('secure cookies', () => {
	it('follow ORIGIN, else X-Forwarded-Proto only with TRUST_PROXY, else plain HTTP', () => {
		const plain = new Request('http://localhost:3000/');
		expect(servedOverHttps(plain, undefined, false)).toBe(false);
		expect(servedOverHttps(plain, 'https://tally.example.com', false)).toBe(true);
		expect(servedOverHttps(plain, 'http://localhost:3000', false)).toBe(false);
		const forwarded = new Request('http://x/', { headers: { 'x-forwarded-proto': 'https' } });
		expect(servedOverHttps(forwarded, undefined, false)).toBe(false);
		expect(servedOverHttps(forwarded, undefined, true)).toBe(true);
		// adapter-node's request URL says https whenever ORIGIN is unset, so it proves nothing.
		expect(servedOverHttps(new Request('https://x/'), undefined, false)).toBe(false);
	});
});
