import type { Browser, Page } from '@playwright/test';
import { test, expect, register, freshEmail, demo, signIn } from './fixtures';

/** The demo instance's code (src/lib/server/seed/growth.ts): one use per account. */
const DEMO_CODE = 'TALLY-DEMO-2026-GIFT';

const viewports = [
	{ name: '375 px', size: { width: 375, height: 812 } },
	{ name: 'desktop', size: { width: 1280, height: 900 } }
];

async function newPage(browser: Browser, size: { width: number; height: number }): Promise<Page> {
	const context = await browser.newContext({ locale: 'zh-CN', viewport: size });
	return context.newPage();
}

async function payCustomInSandbox(page: Page, amount: string) {
	await page.goto('/recharge');
	await expect(page.getByTestId('recharge-form')).toHaveAttribute('data-ready', 'true');
	await page.getByTestId('custom-amount').fill(amount);
	await page.getByTestId('method-sandbox').check();
	await page.getByTestId('recharge-submit').click();
	await page.waitForURL('**/recharge/sandbox/**');
	await page.getByTestId('sandbox-pay').click();
	await page.waitForURL('**/recharge/orders/**');
	await expect(page.getByTestId('order-paid')).toBeVisible();
}

for (const { name, size } of viewports) {
	test.describe(name, () => {
		test.use({ viewport: size });

		test(`redeem a code on the recharge page; it shows in the wallet; a second try says why not (${name})`, async ({ page }) => {
			await register(page, freshEmail('redeem'));
			await page.goto('/recharge');
			const before = Number(await page.getByTestId('recharge-balance').getAttribute('data-credits'));
			await page.getByTestId('redeem-code').fill(DEMO_CODE.toLowerCase());
			await page.getByTestId('redeem-submit').click();
			await expect(page.getByTestId('redeem-done')).toContainText('已兑换 ¥5.00');
			await expect(page.getByTestId('redeem-done')).toContainText('有效期至');
			await page.goto('/recharge');
			expect(Number(await page.getByTestId('recharge-balance').getAttribute('data-credits'))).toBe(before + 50_000);

			await page.getByTestId('redeem-code').fill(DEMO_CODE);
			await page.getByTestId('redeem-submit').click();
			await expect(page.getByTestId('redeem-error')).toHaveText('你已达到该批兑换码的兑换次数上限');
			await page.getByTestId('redeem-code').fill('AAAA-BBBB-CCCC-DDDD');
			await page.getByTestId('redeem-submit').click();
			await expect(page.getByTestId('redeem-error')).toHaveText('兑换码不存在，请检查是否输入正确');

			await page.goto('/usage/wallet');
			await expect(page.locator('body')).toContainText('兑换码');
			const box = await page.locator('body').boundingBox();
			expect(box!.width).toBeLessThanOrEqual(size.width);
		});

		test(`follow an invite link, register, pay; the inviter sees the rebate (${name})`, async ({ page, browser }) => {
			await register(page, freshEmail('inviter'));
			await page.goto('/invite');
			const link = await page.getByTestId('invite-link').inputValue();
			expect(link).toMatch(/\/register\?invite=[a-z0-9]+$/);
			await expect(page.getByTestId('invite-earned')).toHaveAttribute('data-credits', '0');

			const friend = await newPage(browser, size);
			await friend.goto(link);
			await expect(friend.getByTestId('register-invite')).toBeVisible();
			const friendEmail = freshEmail('invitee');
			await friend.getByTestId('register-name').fill('Friend');
			await friend.getByTestId('register-email').fill(friendEmail);
			await friend.getByTestId('register-password').fill('e2e-pass-123');
			await friend.getByTestId('register-submit').click();
			await friend.waitForURL('**/dashboard');
			await payCustomInSandbox(friend, '20');
			await friend.context().close();

			await page.goto('/invite');
			await expect(page.getByTestId('invitee-row')).toHaveCount(1);
			await expect(page.getByTestId('invitee-row')).toContainText(friendEmail.slice(0, 2) + '***@example.com');
			await expect(page.getByTestId('invitee-rebate')).toHaveAttribute('data-credits', '10000');
			await expect(page.getByTestId('invite-earned')).toHaveText('¥1.00');
		});
	});
}

test('an admin makes a batch, downloads its CSV once, and a user redeems one of its codes', async ({ page, browser }) => {
	await signIn(page, demo.admin);
	await page.goto('/admin/codes');
	const name = `e2e batch ${Date.now()}`;
	await page.getByTestId('codes-name').fill(name);
	await page.getByTestId('codes-amount').fill('3');
	await page.getByTestId('codes-count').fill('3');
	await page.getByTestId('codes-submit').click();
	await expect(page.getByTestId('codes-created')).toBeVisible();
	const codes = (await page.getByTestId('codes-plain').inputValue()).split('\n');
	expect(codes).toHaveLength(3);
	const downloading = page.waitForEvent('download');
	await page.getByTestId('codes-download').click();
	const download = await downloading;
	const csv = await (await download.createReadStream()).toArray();
	const text = Buffer.concat(csv).toString('utf8');
	for (const code of codes) expect(text).toContain(code);

	await page.goto('/admin/codes');
	await expect(page.getByTestId('codes-created')).toHaveCount(0);
	await expect(page.locator('body')).not.toContainText(codes[0]);

	const user = await newPage(browser, { width: 1280, height: 900 });
	await register(user, freshEmail('batch'));
	await user.goto('/recharge');
	await user.getByTestId('redeem-code').fill(codes[1]);
	await user.getByTestId('redeem-submit').click();
	await expect(user.getByTestId('redeem-done')).toContainText('¥3.00');
	await expect(user.getByTestId('redeem-done')).toContainText('长期有效');
	await user.context().close();

	await page.getByTestId('code-batch-row').filter({ hasText: name }).getByRole('link').click();
	await expect(page.getByTestId('code-redemptions').locator('tbody tr')).toHaveCount(1);
});

test('an admin makes a batch of package codes; redeeming one activates the package, and both sides say so', async ({ page, browser }) => {
	await signIn(page, demo.admin);
	await page.goto('/admin/codes');
	const name = `e2e package batch ${Date.now()}`;
	await page.getByTestId('codes-name').fill(name);
	await page.getByTestId('codes-kind').selectOption('package');
	await expect(page.getByTestId('codes-amount')).toHaveCount(0);
	const demoPackage = page.getByTestId('codes-package').locator('option', { hasText: '5M tokens + 1M · 5,000,000 文本 tokens + 赠送 1,000,000' });
	await page.getByTestId('codes-package').selectOption((await demoPackage.first().getAttribute('value'))!);
	await page.getByTestId('codes-count').fill('1');
	await page.getByTestId('codes-submit').click();
	await expect(page.getByTestId('codes-created')).toBeVisible();
	const [code] = (await page.getByTestId('codes-plain').inputValue()).split('\n');
	await expect(page.getByTestId('code-batch-row').filter({ hasText: name })).toContainText('资源包「5M tokens + 1M」');

	const user = await newPage(browser, { width: 1280, height: 900 });
	await register(user, freshEmail('pkgcode'));
	await user.goto('/recharge');
	await user.getByTestId('redeem-code').fill(code);
	await user.getByTestId('redeem-submit').click();
	await expect(user.getByTestId('redeem-done')).toHaveAttribute('data-kind', 'package');
	await expect(user.getByTestId('redeem-done')).toContainText('已兑换资源包「5M tokens + 1M」');
	await expect(user.getByTestId('redeem-done')).toContainText('有效期至');
	await user.context().close();

	await page.getByTestId('code-batch-row').filter({ hasText: name }).getByRole('link').click();
	await expect(page.getByTestId('redemption-gives')).toHaveText('资源包「5M tokens + 1M」');
});
