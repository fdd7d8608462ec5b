import { test, expect, register, signIn, demo, freshEmail } from './fixtures';
import type { Page } from '@playwright/test';

const TIERS = [10, 50, 100, 200, 500, 1000];

async function balanceCredits(page: Page, testId: string): Promise<number> {
	return Number(await page.getByTestId(testId).getAttribute('data-credits'));
}

/** Opens the recharge page and waits until it is interactive (cards are buttons that need hydration). */
async function openRecharge(page: Page, path = '/recharge') {
	await page.goto(path);
	await expect(page.getByTestId('recharge-form')).toHaveAttribute('data-ready', 'true');
}

async function payInSandbox(page: Page) {
	await page.getByTestId('recharge-submit').click();
	await page.waitForURL('**/recharge/sandbox/**');
	await page.getByTestId('sandbox-pay').click();
	await page.waitForURL('**/recharge/orders/**');
	await expect(page.getByTestId('order-paid')).toBeVisible();
}

test('a new user recharges ¥50 through the sandbox: only the ¥50 tag vanishes and the balance rises by ¥60', async ({ page }) => {
	await register(page, freshEmail('recharge'));
	await openRecharge(page);
	for (const tier of TIERS) await expect(page.getByTestId(`tier-tag-${tier}`)).toBeVisible();
	await expect(page.getByTestId('tier-tag-50')).toHaveText('🎁 +¥10.00');
	const before = await balanceCredits(page, 'recharge-balance');

	await page.getByTestId('tier-card-50').click();
	await expect(page.getByTestId('summary-pay')).toHaveText('¥50.00');
	await expect(page.getByTestId('summary-bonus')).toHaveText('+¥10.00');
	await expect(page.getByTestId('summary-total')).toContainText('¥60.00');
	await page.getByTestId('method-sandbox').check();
	await payInSandbox(page);
	expect(await balanceCredits(page, 'order-balance')).toBe(before + 600_000);

	await openRecharge(page);
	await expect(page.getByTestId('tier-tag-50')).toHaveCount(0);
	for (const tier of TIERS.filter((x) => x !== 50)) await expect(page.getByTestId(`tier-tag-${tier}`)).toBeVisible();
	expect(await balanceCredits(page, 'recharge-balance')).toBe(before + 600_000);
	const history = page.getByTestId('recharge-history');
	await expect(history.locator('tbody tr')).toHaveCount(1);
	await expect(history.getByTestId('order-status')).toHaveText('已支付');
	await expect(history).toContainText('+¥10.00');
});

test('a custom amount shows the hint, typing a preset selects its card, and ¥99 grants no bonus', async ({ page }) => {
	await register(page, freshEmail('custom'));
	await openRecharge(page);
	const before = await balanceCredits(page, 'recharge-balance');
	await expect(page.getByTestId('custom-hint')).toHaveText('自定义金额不参与首充优惠');

	const custom = page.getByTestId('custom-amount');
	await custom.fill('100');
	await expect(page.getByTestId('tier-card-100')).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByTestId('summary-bonus')).toHaveText('+¥20.00');

	await custom.fill('99');
	await expect(page.getByTestId('tier-card-100')).toHaveAttribute('aria-pressed', 'false');
	await expect(page.getByTestId('summary-bonus')).toHaveCount(0);
	await expect(page.getByTestId('summary-no-bonus')).toBeVisible();
	await payInSandbox(page);
	expect(await balanceCredits(page, 'order-balance')).toBe(before + 990_000);

	await openRecharge(page);
	for (const tier of TIERS) await expect(page.getByTestId(`tier-tag-${tier}`)).toBeVisible();
});

test('the recharge and order pages hold at 375 px without horizontal scrolling', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 812 });
	await register(page, freshEmail('narrow'));
	for (const path of ['/recharge']) {
		await openRecharge(page, path);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	}
	await page.getByTestId('tier-card-10').click();
	await payInSandbox(page);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
});

test('demo data: Bob has used the ¥100 tier; the admin debug panel lists per-tier eligibility', async ({ page }) => {
	await signIn(page, demo.bob);
	await openRecharge(page);
	await expect(page.getByTestId('tier-tag-100')).toHaveCount(0);
	await expect(page.getByTestId('tier-tag-10')).toBeVisible();
	await page.goto('/recharge?debug=1');
	await expect(page.getByTestId('debug-panel')).toHaveCount(0);

	await page.context().clearCookies();
	await signIn(page, demo.admin);
	await page.goto('/recharge?debug=1');
	await expect(page.getByTestId('debug-panel')).toBeVisible();
	await expect(page.getByTestId('debug-tier-100')).toContainText('✅ 可享首充');
});

test('an admin finds a paid order by its number and refunds it from the admin page', async ({ page }) => {
	await register(page, freshEmail('refund'));
	await openRecharge(page);
	await page.getByTestId('tier-card-10').click();
	await payInSandbox(page);
	const orderId = page.url().split('/').pop()!;

	await page.context().clearCookies();
	await signIn(page, demo.admin);
	await page.goto(`/admin/recharge?q=${orderId}`);
	await expect(page.getByTestId('settings-form')).toHaveAttribute('data-ready', 'true');
	await page.getByTestId(`refund-reason-${orderId}`).fill('e2e refund');
	await page.getByTestId(`refund-${orderId}`).click();
	await page.getByTestId('confirm-yes').click();
	await expect(page.getByTestId('refund-done')).toBeVisible();
	await expect(page.getByTestId(`history-row-${orderId}`).getByTestId('order-status')).toHaveText('已退款');
	await page.goto(`/recharge/orders/${orderId}`);
	await expect(page.getByTestId('order-state')).toHaveAttribute('data-status', 'refunded');
});

test('a first-recharge bonus entry carries the same label on the user wallet page and the admin user page', async ({ page, browser }) => {
	const email = freshEmail('bonus-label');
	await register(page, email);
	await openRecharge(page);
	await page.getByTestId('tier-card-10').click();
	await page.getByTestId('method-sandbox').check();
	await payInSandbox(page);

	await page.goto('/usage/wallet');
	const own = page.locator('[data-testid="wallet-row"][data-kind="bonus"]');
	await expect(own).toHaveCount(1);
	const ownLabel = (await own.locator('td').nth(1).textContent())?.trim();
	expect(ownLabel).toBe('首充赠送');

	const admin = await browser.newPage();
	await signIn(admin, demo.admin);
	await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
	await admin.locator(`[data-testid="user-row"][data-email="${email}"] a`).first().click();
	const listed = admin.locator('[data-testid="ledger-row"][data-kind="bonus"]');
	await expect(listed).toHaveCount(1);
	expect((await listed.locator('td').nth(1).textContent())?.trim()).toBe(ownLabel);
	await admin.close();
});
