import { test, expect, signIn, demo } from './fixtures';

test.describe('admin model prices', () => {
	test('an admin adds a model, changes its price (a new row), sees the history and deactivates it', async ({ page }) => {
		await signIn(page, demo.admin);
		await page.goto('/admin/models');
		await expect(page.getByTestId('models-title')).toHaveText('模型价格');
		await expect(page.getByTestId('model-row-gpt-4o')).toContainText('¥18.00 / 百万 token');

		const code = `e2e-model-${Date.now()}`;
		await page.getByTestId('price-model').fill(code);
		await page.getByTestId('price-provider').fill('e2e');
		await page.getByTestId('price-input').fill('10');
		await page.getByTestId('price-output').fill('25');
		await page.getByTestId('price-save').click();
		await expect(page.getByTestId('models-saved')).toContainText(code);
		const row = page.getByTestId(`model-row-${code}`);
		await expect(row).toContainText('¥10.00 / 百万 token');
		await expect(row).toContainText('¥25.00 / 百万 token');

		await page.getByTestId(`model-change-${code}`).click();
		await expect(page.getByTestId('price-model')).toHaveValue(code);
		await page.getByTestId('price-input').fill('12');
		await page.getByTestId('price-save').click();
		await expect(row).toContainText('¥12.00 / 百万 token');

		await row.getByRole('link', { name: '历史' }).click();
		await expect(page.getByTestId('models-history').locator('tbody tr')).toHaveCount(2);

		await page.getByTestId(`model-deactivate-${code}`).click();
		await page.locator('dialog[open]').getByTestId('confirm-yes').click();
		await expect(row).toContainText('已停用');
		await expect(page.getByTestId(`model-activate-${code}`)).toBeVisible();
	});

	test('an admin sets an image model with a per-image price and a minimum charge and sees them listed', async ({ page }) => {
		await signIn(page, demo.admin);
		await page.goto('/admin/models');
		const code = `e2e-image-${Date.now()}`;
		await page.getByTestId('price-model').fill(code);
		await page.getByTestId('price-provider').fill('e2e');
		await page.getByTestId('price-type').selectOption('image');
		await page.getByTestId('price-input').fill('0');
		await page.getByTestId('price-output').fill('0');
		await page.getByTestId('price-image').fill('0.3');
		await expect(page.getByText('= 3,000 积分')).toBeVisible();
		await page.getByTestId('price-min-charge').fill('0.05');
		await page.getByTestId('price-save').click();
		await expect(page.getByTestId('models-saved')).toContainText(code);
		await expect(page.getByTestId(`model-image-price-${code}`)).toHaveText('¥0.30 / 张');
		await expect(page.getByTestId(`model-min-charge-${code}`)).toHaveText('¥0.05');

		await page.getByTestId(`model-change-${code}`).click();
		await expect(page.getByTestId('price-type')).toHaveValue('image');
		await expect(page.getByTestId('price-image')).toHaveValue('0.3');
	});

	test('a bad price shows a field error and changes nothing', async ({ page }) => {
		await signIn(page, demo.admin);
		await page.goto('/admin/models');
		await page.getByTestId('price-model').fill('bad model code!');
		await page.getByTestId('price-provider').fill('e2e');
		await page.getByTestId('price-input').fill('1.50001');
		await page.getByTestId('price-output').fill('10');
		await page.getByTestId('price-save').click();
		await expect(page.getByText('价格格式不正确（最多精确到 1 积分）')).toBeVisible();
		await expect(page.getByText('模型代码只能包含字母、数字和 . _ : / @ -')).toBeVisible();
		await expect(page.getByTestId('model-row-bad model code!')).toHaveCount(0);
	});

	test('fits a 375 px phone and is closed to non-admins', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 800 });
		await signIn(page, demo.admin);
		await page.goto('/admin/models');
		await expect(page.getByTestId('models-table')).toBeVisible();
		await page.waitForLoadState('networkidle');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		await page.context().clearCookies();
		await signIn(page, demo.alice);
		const res = await page.goto('/admin/models');
		expect(res?.status()).toBe(403);
	});
});

test.describe('usage REST on the demo instance', () => {
	test('models and the balance endpoints of requirement doc token-balance-arrears answer; Carol is in arrears; a user session cannot post usage', async ({ page }) => {
		await signIn(page, demo.carol);
		const models = await (await page.request.get('/api/v1/models')).json();
		expect(models.map((m: { model: string }) => m.model)).toContain('deepseek-chat');
		const balance = await (await page.request.get('/api/v1/token-usage/balance')).json();
		expect(balance.in_arrears).toBe(true);
		expect(balance.token_balance).toBeLessThan(0);
		const summary = await (await page.request.get('/api/v1/token-usage/summary')).json();
		expect(summary.all_time.requests).toBeGreaterThan(0);
		const post = await page.request.post('/api/v1/usage', { data: { request_id: 'e2e-x', user_id: 1, model: 'gpt-4o', input_tokens: 1, output_tokens: 1 } });
		expect(post.status()).toBe(403);
	});
});
