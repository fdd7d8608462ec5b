import { request as httpRequest } from 'node:http';
import { demo, expect, signIn, test } from './fixtures';

interface RawAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	bytes: number;
}

/** The bytes as they travel, without the decompression browsers and Playwright apply. */
function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { headers }, (res) => {
			let bytes = 0;
			res.on('data', (chunk: Buffer) => (bytes += chunk.length));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
		});
		req.on('error', reject);
		req.end();
	});
}

test('pages hydrate under the Content-Security-Policy without a violation', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/content security policy/i.test(msg.text())) violations.push(msg.text());
	});
	await signIn(page, demo.admin);
	for (const path of ['/dashboard', '/usage', '/recharge', '/keys', '/admin/recharge', '/admin/registration']) {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
	}
	// The admin recharge form marks itself once hydrated.
	await page.goto('/admin/recharge');
	await expect(page.getByTestId('settings-form')).toHaveAttribute('data-ready', 'true');
	expect(violations).toEqual([]);
});

test('a page and an API answer carry the security headers; pages are compressed', async ({ page, baseURL }) => {
	await signIn(page, demo.alice);
	const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

	const identity = await rawGet(`${baseURL}/dashboard`, { cookie, 'accept-encoding': 'identity' });
	const gzip = await rawGet(`${baseURL}/dashboard`, { cookie, 'accept-encoding': 'gzip' });
	const brotli = await rawGet(`${baseURL}/dashboard`, { cookie, 'accept-encoding': 'gzip, deflate, br' });
	expect(identity.status).toBe(200);
	expect(identity.headers['content-encoding']).toBeUndefined();
	expect(gzip.headers['content-encoding']).toBe('gzip');
	expect(brotli.headers['content-encoding']).toBe('br');
	expect(gzip.bytes).toBeLessThan(identity.bytes / 3);
	console.log(`/dashboard: ${identity.bytes} B plain, ${gzip.bytes} B gzip, ${brotli.bytes} B brotli`);

	const csp = String(identity.headers['content-security-policy']);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(identity.headers['x-content-type-options']).toBe('nosniff');
	expect(identity.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');

	const api = await rawGet(`${baseURL}/api/v1/me`, {});
	expect(api.status).toBe(401);
	expect(api.headers['x-content-type-options']).toBe('nosniff');
	expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
});

test('a tRPC batch of more than 20 calls is refused with a 400', async ({ page, baseURL }) => {
	await signIn(page, demo.alice);
	const batch = (n: number) => `${baseURL}/api/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1&input=%7B%7D`;
	expect((await page.request.get(batch(20))).status()).toBe(200);
	expect((await page.request.get(batch(21))).status()).toBe(400);
});
