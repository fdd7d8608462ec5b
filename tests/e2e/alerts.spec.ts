import { request as playwrightRequest, type Page } from '@playwright/test';
import { test, expect, register, demo, freshEmail } from './fixtures';

async function adminApi(baseURL: string) {
	const api = await playwrightRequest.newContext({ baseURL });
	expect((await api.post('/api/v1/auth/login', { data: demo.admin })).ok()).toBe(true);
	return api;
}

/** A fresh account with an exact balance of ¥200 and a ¥150 alert threshold set on /alerts. */
async function accountNearThreshold(page: Page, baseURL: string) {
	await register(page, freshEmail('alert'));
	const me = await (await page.request.get('/api/v1/me')).json();
	const admin = await adminApi(baseURL);
	const run = `${Date.now()}-${me.id}`;
	const balance = Number(await page.getByTestId('balance-card').getAttribute('data-balance'));
	const adjusted = await admin.post('/api/v1/admin/credits/adjust', {
		data: { user_id: me.id, amount: 2_000_000 - balance, reason: 'e2e alerts', idempotency_key: `e2e-alert-fund-${run}` }
	});
	expect(adjusted.ok()).toBe(true);
	await page.goto('/alerts');
	await page.getByTestId('alerts-threshold').fill('150');
	await page.getByTestId('alerts-save').click();
	await expect(page.getByText('提醒设置已保存')).toBeVisible();
	return { admin, userId: me.id as number, run };
}

for (const [name, viewport] of [
	['375 px', { width: 375, height: 740 }],
	['desktop', { width: 1280, height: 800 }]
] as const) {
	test(`${name}: crossing the threshold shows one low-balance notice in the header until dismissed`, async ({ page, baseURL }) => {
		await page.setViewportSize(viewport);
		const { admin, userId, run } = await accountNearThreshold(page, baseURL!);
		await expect(page.getByTestId('alert-notice')).toHaveCount(0);
		// Three requests take ¥200 → ¥140: one crossing of ¥150, one notice.
		for (let i = 0; i < 3; i++) {
			const usage = await admin.post('/api/v1/usage', { data: { request_id: `e2e-alert-${run}-${i}`, user_id: userId, model: 'gpt-4o', cost: 200_000 } });
			expect(usage.ok()).toBe(true);
		}
		await admin.dispose();
		await page.goto('/dashboard');
		const notice = page.getByTestId('alert-notice');
		await expect(notice).toHaveCount(1);
		await expect(notice).toContainText('余额已低于 ¥150.00');
		await expect(notice).toBeInViewport();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
		await notice.getByTestId('alert-dismiss').click();
		await page.waitForURL('**/dashboard');
		await expect(page.getByTestId('alert-notice')).toHaveCount(0);
		await page.goto('/usage');
		await expect(page.getByTestId('alert-notice')).toHaveCount(0);
	});
}

test('the price list: linked from the recharge page, per 1M tokens in ¥; visitors only when the admin allows it', async ({ page, browser, baseURL }) => {
	await page.setViewportSize({ width: 375, height: 740 });
	await register(page, freshEmail('prices'));
	await page.goto('/recharge');
	await page.getByTestId('recharge-prices-link').click();
	await page.waitForURL('**/prices');
	await expect(page.getByRole('heading', { name: '模型价格' })).toBeVisible();
	const rows = page.getByTestId('price-row');
	await expect(rows.first()).toBeVisible();
	await expect(rows.first()).toContainText('¥');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

	const visitor = await browser.newContext({ baseURL, locale: 'zh-CN' });
	try {
		const anon = await visitor.newPage();
		await anon.goto('/prices');
		await anon.waitForURL('**/login**');
		const adminPage = await browser.newPage({ baseURL, locale: 'zh-CN' });
		await adminPage.goto('/login');
		await adminPage.getByTestId('login-email').fill(demo.admin.email);
		await adminPage.getByTestId('login-password').fill(demo.admin.password);
		await adminPage.getByTestId('login-submit').click();
		await adminPage.waitForURL('**/dashboard');
		await adminPage.goto('/admin/registration');
		await adminPage.getByTestId('price-visibility').check();
		await adminPage.getByTestId('price-visibility-save').click();
		await expect(adminPage.getByText('价格公开设置已保存')).toBeVisible();
		await anon.goto('/prices');
		await expect(anon.getByTestId('price-row').first()).toBeVisible();
		await adminPage.getByTestId('price-visibility').uncheck();
		await adminPage.getByTestId('price-visibility-save').click();
		await expect(adminPage.getByText('价格公开设置已保存')).toBeVisible();
		await adminPage.close();
	} finally {
		await visitor.close();
	}
});
