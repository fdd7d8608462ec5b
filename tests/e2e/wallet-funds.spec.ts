import { request as playwrightRequest } from '@playwright/test';
import { test, expect, register, demo, freshEmail } from './fixtures';

/** As the demo admin over REST: a usage:write key, and a credit grant for a user. */
async function adminApi(baseURL: string) {
	const api = await playwrightRequest.newContext({ baseURL });
	expect((await api.post('/api/v1/auth/login', { data: demo.admin })).ok()).toBe(true);
	return api;
}

test('the wallet page shows regular balance, grants with expiry, held, available and the burn-down order; the dashboard shows the hold', async ({ page, baseURL, browser }) => {
	await register(page, freshEmail('wallet'));
	const me = await (await page.request.get('/api/v1/me')).json();
	const admin = await adminApi(baseURL!);
	const run = Date.now();
	const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
	const grant = await admin.post('/api/v1/admin/credits/grant', {
		data: { user_id: me.id, amount: 50_000, source: 'package', priority: 1, expires_at: expires, reason: 'e2e package', idempotency_key: `e2e-grant-${run}` }
	});
	expect(grant.ok()).toBe(true);
	const { grant_id } = await grant.json();
	const key = (await (await admin.post('/api/v1/keys', { data: { name: `e2e-hold-${run}`, scopes: ['usage:write', 'usage:read'] } })).json()).key as string;
	await admin.dispose();

	const gateway = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
	const model = (await (await gateway.get('/api/v1/models')).json())[0]?.model as string;
	const hold = await gateway.post('/api/v1/usage/authorize', {
		data: { user_id: me.id, model, reserve: true, request_id: `e2e-hold-${run}`, estimated_cost: 30_000, ttl_seconds: 600 }
	});
	expect(await hold.json()).toMatchObject({ allowed: true });

	const wallet = await (await page.request.get('/api/v1/token-usage/wallet')).json();
	await page.goto('/usage/wallet');
	await expect(page.getByTestId('funds-held')).toHaveAttribute('data-credits', '30000');
	await expect(page.getByTestId('funds-regular')).toHaveAttribute('data-credits', String(wallet.regular));
	await expect(page.getByTestId('funds-available')).toHaveAttribute('data-credits', String(wallet.balance - 30_000));
	const row = page.locator(`[data-testid="grant-row"][data-grant="${grant_id}"]`);
	await expect(row).toBeVisible();
	await expect(page.getByTestId('burn-down-order')).toContainText(`#${grant_id}`);

	for (const [locale, regular, order] of [
		['en', 'Regular balance', 'Used in this order:'],
		['zh-CN', '普通余额', '扣费顺序：']
	] as const) {
		await page.context().addCookies([{ name: 'tally_locale', value: locale, url: baseURL! }]);
		await page.goto('/usage/wallet');
		await expect(page.getByTestId('wallet-funds')).toContainText(regular);
		await expect(page.getByTestId('burn-down-order')).toContainText(order);
		await page.goto('/dashboard');
		await expect(page.getByTestId('balance-held')).toHaveAttribute('data-held', '30000');
	}

	// Without JavaScript the dashboard shows the load's figures.
	const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
	const plain = await noScript.newPage();
	await plain.goto('/dashboard');
	await expect(plain.getByTestId('balance-held')).toHaveAttribute('data-held', '30000');
	await noScript.close();

	// With it, the held amount and what the balance buys follow the server every 10 s, without loading the page again.
	const capacityBefore = Number(await page.getByTestId('balance-capacity').getAttribute('data-available'));
	await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));
	expect((await gateway.post(`/api/v1/usage/holds/e2e-hold-${run}/release`)).ok()).toBe(true);
	await gateway.dispose();
	const granter = await adminApi(baseURL!);
	const more = await granter.post('/api/v1/admin/credits/grant', {
		data: { user_id: me.id, amount: 20_000, source: 'package', priority: 1, expires_at: expires, reason: 'e2e live figures', idempotency_key: `e2e-grant-live-${run}` }
	});
	expect(more.ok()).toBe(true);
	await granter.dispose();
	await expect(page.getByTestId('balance-held')).toHaveCount(0, { timeout: 15_000 });
	await expect(page.getByTestId('balance-capacity')).toHaveAttribute('data-available', String(capacityBefore + 20_000));
	expect(await page.evaluate(() => 'e2eSamePage' in window)).toBe(true);
});
