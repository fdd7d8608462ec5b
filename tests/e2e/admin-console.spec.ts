import { test, expect, signIn, register, demo, freshEmail } from './fixtures';
import type { Browser, Page } from '@playwright/test';

/** Screenshots for the closing note, only when asked for (SCREENSHOTS=1). */
async function shot(page: Page, name: string) {
	if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
}

/** Confirm buttons work once the page is hydrated: their dialogs have moved to <body>. */
async function confirmReady(page: Page) {
	await page.waitForFunction(() => [...document.querySelectorAll('dialog[data-testid="confirm-dialog"]')].every((d) => d.parentElement === document.body) && document.querySelector('dialog[data-testid="confirm-dialog"]') !== null);
}

async function newPage(browser: Browser, width = 1280): Promise<Page> {
	const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'zh-CN', viewport: { width, height: 900 } });
	return context.newPage();
}

async function userIdOf(admin: Page, email: string): Promise<number> {
	await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
	const href = await admin.locator(`[data-testid="user-row"][data-email="${email}"] a`).first().getAttribute('href');
	return Number(href!.split('/').pop());
}

test.describe('confirm dialogs and tables', () => {
	/** The open dialog is a child of <body>, inside the viewport, and its message neither overflows nor is cut. */
	async function expectWrappedDialog(page: Page, width: number) {
		const dialog = page.locator('dialog[open]');
		await expect(dialog).toBeVisible();
		expect(await dialog.evaluate((d) => d.closest('table') === null && d.parentElement === document.body)).toBe(true);
		const message = dialog.getByTestId('confirm-message');
		const fit = await message.evaluate((p) => ({
			overflow: p.scrollWidth - p.clientWidth,
			lines: Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))
		}));
		expect(fit.overflow).toBeLessThanOrEqual(0);
		const box = (await dialog.boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(width);
		return { dialog, lines: fit.lines };
	}

	for (const width of [1280, 375]) {
		test(`confirm dialogs opened from table rows sit outside the table and wrap their whole message (${width} px)`, async ({ browser }) => {
			const page = await newPage(browser, width);
			await register(page, freshEmail('dialog'));
			await page.goto('/keys');
			await page.getByTestId('key-name').fill('gateway');
			await page.getByTestId('key-create').click();
			await page.reload();
			await confirmReady(page);
			await page.getByTestId('keys-table').getByRole('button', { name: '吊销' }).click();
			const revoke = await expectWrappedDialog(page, width);
			await shot(page, `03-confirm-revoke-key-${width}`);
			await revoke.dialog.getByTestId('confirm-yes').click();
			await expect(page.getByTestId('keys-table')).toContainText('已吊销');

			// A long consequence (disabling an account) wraps onto several lines instead of being cut off.
			const admin = await newPage(browser, width);
			await signIn(admin, demo.admin);
			await admin.goto('/admin/users');
			await confirmReady(admin);
			await admin.locator('[data-testid^="disable-"]').first().click();
			const disable = await expectWrappedDialog(admin, width);
			expect(disable.lines).toBeGreaterThan(1);
			await shot(admin, `03-confirm-disable-${width}`);
		});
	}

	test('at 1280 px the action column of a wide table stays in view; tables are keyboard-scrollable regions', async ({ page }) => {
		await page.setViewportSize({ width: 1280, height: 900 });
		await signIn(page, demo.admin);
		await page.goto('/admin/recharge?status=paid');
		const table = page.getByTestId('recharge-history');
		const region = page.getByRole('region').filter({ has: table });
		await expect(region).toHaveAttribute('tabindex', '0');
		await expect(region).toHaveAttribute('aria-label', /.+/);
		const refund = table.locator('[data-testid^="refund-"]').first();
		const box = (await refund.boundingBox())!;
		const wrap = (await region.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(wrap.x + wrap.width + 1);
		await shot(page, '04-admin-orders-1280');
	});

	test('on a phone each row is a card with its headings and the page does not scroll sideways', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 800 });
		await signIn(page, demo.admin);
		await page.goto('/admin/users');
		const table = page.getByTestId('users-table');
		await expect(table.locator('thead')).toHaveCSS('position', 'absolute');
		const row = table.locator('[data-testid="user-row"]').first();
		await expect(row).toHaveCSS('display', 'block');
		await expect(row.locator('td').nth(2)).toHaveAttribute('data-label', '角色');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		await shot(page, '04-admin-users-375');
	});
});

test.describe('platform admin: accounts', () => {
	test('role changes ask first and are never offered on one’s own row', async ({ page }) => {
		await signIn(page, demo.admin);
		const email = freshEmail('promote');
		const other = await newPage(page.context().browser()!);
		await register(other, email);
		const id = await userIdOf(page, email);
		await page.goto('/admin/users');
		const me = page.locator(`[data-testid="user-row"][data-email="${demo.admin.email}"]`);
		await expect(me).toContainText('（你）');
		await expect(me.locator('[data-testid^="role-"], [data-testid^="disable-"]')).toHaveCount(0);

		await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
		await confirmReady(page);
		await page.getByTestId(`role-${id}`).click();
		const dialog = page.locator('dialog[open]');
		await expect(dialog).toContainText(email);
		await dialog.getByRole('button', { name: '取消' }).click();
		await expect(page.locator(`[data-testid="user-row"][data-email="${email}"]`)).toContainText('用户');
		await page.getByTestId(`role-${id}`).click();
		await page.locator('dialog[open]').getByTestId('confirm-yes').click();
		await expect(page.getByTestId('users-done')).toContainText(email);
		await expect(page.locator(`[data-testid="user-row"][data-email="${email}"]`)).toContainText('平台管理员');
	});

	test('a disabled account is signed out at once, cannot sign in, and its keys stop; enabling restores it', async ({ page, browser, request }) => {
		const email = freshEmail('disable');
		const user = await newPage(browser);
		await register(user, email);
		await user.goto('/keys');
		await user.getByTestId('key-name').fill('k');
		await user.getByTestId('key-create').click();
		const secret = (await user.getByTestId('new-key-secret').textContent())!.trim();

		await signIn(page, demo.admin);
		const id = await userIdOf(page, email);
		await confirmReady(page);
		await page.getByTestId(`disable-${id}`).click();
		await expect(page.locator('dialog[open]')).toContainText('API 密钥停止工作');
		await page.locator('dialog[open]').getByTestId('confirm-yes').click();
		await expect(page.getByTestId(`status-${id}`)).toHaveText('已停用');
		await shot(page, '15-admin-user-disabled');

		await user.goto('/dashboard');
		await expect(user).toHaveURL(/\/login/);
		await user.getByTestId('login-email').fill(email);
		await user.getByTestId('login-password').fill('e2e-pass-123');
		await user.getByTestId('login-submit').click();
		await expect(user.getByTestId('login-error')).toHaveText('该账户已被停用，请联系管理员');
		expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);

		await page.getByTestId(`disable-${id}`).click();
		await page.locator('dialog[open]').getByTestId('confirm-yes').click();
		await expect(page.getByTestId(`status-${id}`)).toHaveText('正常');
		expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);
		await user.getByTestId('login-submit').click();
		await user.waitForURL('**/dashboard');
	});

	test('the user page shows usage, ledger and orders, and a confirmed adjustment moves the balance once', async ({ page }) => {
		await signIn(page, demo.admin);
		const id = await userIdOf(page, demo.alice.email);
		await page.goto(`/admin/users/${id}`);
		await expect(page.getByTestId('user-title')).toBeVisible();
		await expect(page.getByTestId('user-usage')).toBeVisible();
		await expect(page.getByTestId('user-ledger')).toBeVisible();
		await expect(page.getByTestId('recharge-history').or(page.getByTestId('history-empty'))).toBeVisible();
		const before = Number(await page.getByTestId('user-balance').getAttribute('data-credits'));

		await confirmReady(page);
		await page.getByTestId('adjust-amount').fill('5.5');
		await expect(page.getByText('= 55,000 积分')).toBeVisible();
		await page.getByTestId('adjust-reason').fill('e2e goodwill');
		await page.getByTestId('adjust-submit').click();
		const dialog = page.locator('dialog[open]');
		await expect(dialog).toContainText('+¥5.50');
		await expect(dialog).toContainText('e2e goodwill');
		await shot(page, '15-admin-adjust-confirm');
		await dialog.getByTestId('confirm-yes').click();
		await expect(page.getByTestId('adjust-done')).toBeVisible();
		await expect(page.getByTestId('user-balance')).toHaveAttribute('data-credits', String(before + 55_000));
		await expect(page.getByTestId('ledger-row').first()).toContainText('e2e goodwill');
		await shot(page, '15-admin-user-detail');

		// A reload does not post it again.
		await page.reload();
		await expect(page.getByTestId('user-balance')).toHaveAttribute('data-credits', String(before + 55_000));
	});
});

test.describe('platform admin: prices and orders', () => {
	test('prices are typed in ¥ per 1M tokens, a 10× jump needs a confirmation, and the form keeps working after an error', async ({ page }) => {
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		await signIn(page, demo.admin);
		await page.goto('/admin/models');
		const code = `e2e-yuan-${Date.now()}`;
		await page.getByTestId('price-model').fill(code);
		await page.getByTestId('price-provider').fill('e2e');
		await page.getByTestId('price-input').fill('0.00001');
		await page.getByTestId('price-output').fill('2');
		await page.getByTestId('price-save').click();
		await expect(page.getByText('价格格式不正确（最多精确到 1 积分）')).toBeVisible();
		// After the error the fields are still the person's: typing changes the value and its credits hint.
		await expect(page.getByTestId('price-input')).toHaveValue('0.00001');
		await expect(page.getByText('= 20,000 积分 / 百万 token')).toBeVisible();
		await page.getByTestId('price-output').fill('3');
		await expect(page.getByText('= 30,000 积分 / 百万 token')).toBeVisible();
		await page.getByTestId('price-input').fill('0.75');
		await expect(page.getByTestId('price-input')).toHaveValue('0.75');
		await page.getByTestId('price-save').click();
		await expect(page.getByTestId('models-saved')).toContainText(code);
		await expect(page.getByTestId(`model-row-${code}`)).toContainText('¥0.75 / 百万 token');

		await page.getByTestId(`model-change-${code}`).click();
		await expect(page.getByTestId('price-input')).toHaveValue('0.75');
		await page.getByTestId('price-input').fill('7500');
		await expect(page.getByTestId('price-input-far')).toBeVisible();
		await shot(page, '16-model-price-far');
		await page.getByTestId('price-save').click();
		await expect(page.getByText('请确认这个与当前相差很大的价格')).toBeVisible();
		await expect(page.getByTestId(`model-row-${code}`)).toContainText('¥0.75 / 百万 token');
		await page.getByTestId('price-input').fill('0.8');
		await page.getByTestId('price-save').click();
		await expect(page.getByTestId(`model-row-${code}`)).toContainText('¥0.80 / 百万 token');
		expect(errors.filter((e) => /effect_update_depth_exceeded/.test(e))).toEqual([]);
	});

	test('the bonus rate is shown and saved as a percentage', async ({ page }) => {
		await signIn(page, demo.admin);
		await page.goto('/admin/recharge');
		await expect(page.getByTestId('settings-form')).toHaveAttribute('data-ready', 'true');
		await expect(page.getByTestId('settings-rate')).toHaveValue('20');
		await page.getByTestId('settings-rate').fill('150');
		await page.getByTestId('settings-save').click();
		await expect(page.getByText('比例应为 0–100，最多两位小数')).toBeVisible();
		await page.getByTestId('settings-rate').fill('20');
		await page.getByTestId('settings-save').click();
		await expect(page.getByTestId('settings-form').getByRole('status')).toBeVisible();
	});

	test('orders filter by status and date, name the wallet, and a refund takes a reason', async ({ page, browser }) => {
		const email = freshEmail('refund');
		const user = await newPage(browser);
		await register(user, email);
		await user.goto('/recharge');
		await expect(user.getByTestId('recharge-form')).toHaveAttribute('data-ready', 'true');
		await user.getByTestId('tier-card-10').click();
		await user.getByTestId('recharge-submit').click();
		await user.waitForURL('**/recharge/sandbox/**');
		await user.getByTestId('sandbox-pay').click();
		await user.waitForURL('**/recharge/orders/**');
		await expect(user.getByTestId('order-paid')).toBeVisible();

		await signIn(page, demo.admin);
		const today = new Date().toISOString().slice(0, 10);
		await page.goto(`/admin/recharge?q=${encodeURIComponent(email)}&status=paid&from=${today}&to=${today}`);
		await expect(page.getByTestId('orders-status')).toHaveValue('paid');
		const row = page.locator('[data-testid^="history-row-"]').filter({ hasText: email });
		await expect(row).toHaveCount(1);
		await expect(row.getByTestId('order-wallet')).toHaveText('个人');
		const orderId = (await row.getAttribute('data-testid'))!.replace('history-row-', '');

		await page.goto(`/admin/recharge?q=${encodeURIComponent(email)}&status=refunded`);
		await expect(page.locator('[data-testid^="history-row-"]')).toHaveCount(0);
		await page.goto(`/admin/recharge?q=${encodeURIComponent(email)}&to=2000-01-01`);
		await expect(page.locator('[data-testid^="history-row-"]')).toHaveCount(0);

		await page.goto(`/admin/recharge?q=${encodeURIComponent(email)}`);
		await confirmReady(page);
		await page.getByTestId(`refund-reason-${orderId}`).fill('customer asked');
		await page.getByTestId(`refund-${orderId}`).click();
		await page.locator('dialog[open]').getByTestId('confirm-yes').click();
		await expect(page.getByTestId('refund-done')).toBeVisible();
		await expect(page.getByTestId(`history-row-${orderId}`).getByTestId('order-refund-reason')).toContainText('customer asked');
		await shot(page, '17-orders-refund-reason');
	});
});
