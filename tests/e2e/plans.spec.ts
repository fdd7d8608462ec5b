import { request as playwrightRequest, type Page } from '@playwright/test';
import { test, expect, register, demo, freshEmail } from './fixtures';

/** A usage:write key made by the demo admin through the REST API (the gateway's key). */
async function gatewayKey(baseURL: string): Promise<string> {
	const api = await playwrightRequest.newContext({ baseURL });
	try {
		expect((await api.post('/api/v1/auth/login', { data: demo.admin })).ok()).toBe(true);
		const created = await api.post('/api/v1/keys', { data: { name: `e2e-plans-${Date.now()}`, scopes: ['usage:write'] } });
		expect(created.ok()).toBe(true);
		return (await created.json()).key as string;
	} finally {
		await api.dispose();
	}
}

async function postUsage(baseURL: string, key: string, event: object) {
	const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
	try {
		const res = await api.post('/api/v1/usage', { data: event });
		expect(res.ok(), await res.text()).toBe(true);
	} finally {
		await api.dispose();
	}
}

async function tokensLeft(page: Page): Promise<number> {
	return Number(await page.getByTestId('plan-card').getByTestId('plan-allowance-tokens').getAttribute('data-remaining'));
}

for (const viewport of [
	{ name: 'phone (375 px)', size: { width: 375, height: 800 } },
	{ name: 'desktop', size: { width: 1280, height: 900 } }
]) {
	test(`${viewport.name}: buy a plan with the sandbox, see the plan card, and usage spends the allowance first`, async ({ page, baseURL }) => {
		await page.setViewportSize(viewport.size);
		await register(page, freshEmail('plan'));
		const me = await (await page.request.get('/api/v1/me')).json();

		await page.goto('/plans');
		const starter = page.locator('[data-testid^="plan-"]', { hasText: 'Starter' }).first();
		await expect(starter).toContainText('2,000,000');
		await starter.getByRole('button').click();
		await page.waitForURL('**/recharge/sandbox/**');
		await page.getByTestId('sandbox-pay').click();
		await page.waitForURL('**/recharge/orders/**');
		await expect(page.getByTestId('order-paid')).toContainText('Starter');

		await page.goto('/plans');
		await expect(page.getByTestId('plan-current')).toBeVisible();
		await page.goto('/dashboard');
		const card = page.getByTestId('plan-card');
		await expect(card.getByTestId('plan-card-name')).toContainText('Starter');
		await expect(card.getByTestId('plan-card-resets')).toContainText('重置');
		await expect(card.getByTestId('plan-card-period-end')).toBeVisible();
		expect(await tokensLeft(page)).toBe(2_000_000);
		await expect(card.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '100');

		const key = await gatewayKey(baseURL!);
		await postUsage(baseURL!, key, { request_id: `e2e-plan-${Date.now()}-a`, user_id: me.id, model: 'gpt-4o-mini', input_tokens: 1_000, output_tokens: 500 });
		await page.reload();
		expect(await tokensLeft(page)).toBe(1_998_500);

		// More than is left: the allowance covers 1,998,500 tokens, the balance pays for 1,500.
		await postUsage(baseURL!, key, { request_id: `e2e-plan-${Date.now()}-b`, user_id: me.id, model: 'gpt-4o-mini', input_tokens: 2_000_000, output_tokens: 0 });
		await page.goto('/usage');
		const newest = page.getByTestId('usage-log').getByTestId('usage-row').first();
		await expect(newest.getByTestId('usage-from-plan')).not.toHaveText('¥0.00');
		await expect(newest.getByTestId('usage-from-balance')).not.toHaveText('¥0.00');
		const older = page.getByTestId('usage-log').getByTestId('usage-row').nth(1);
		await expect(older.getByTestId('usage-from-balance')).toHaveText('¥0.00');
		await page.goto('/dashboard');
		expect(await tokensLeft(page)).toBe(0);
	});
}

test('packages sit beside the recharge tiers', async ({ page }) => {
	await register(page, freshEmail('pkg'));
	await page.goto('/recharge');
	await expect(page.getByTestId('packages')).toContainText('5,000,000');
	await expect(page.getByTestId('packages')).toContainText('90');
});
