import { request as playwrightRequest, type Page } from '@playwright/test';
import { test, expect, signIn, register, demo, freshEmail } from './fixtures';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });

async function myId(page: Page): Promise<number> {
	const res = await page.request.get('/api/v1/me');
	expect(res.ok()).toBe(true);
	return (await res.json()).id;
}

/** Bills `cost` credits to a user through the gateway API (the demo admin's usage:write key). */
async function bill(baseURL: string, userId: number, cost: number) {
	const api = await playwrightRequest.newContext({ baseURL });
	try {
		expect((await api.post('/api/v1/auth/login', { data: demo.admin })).ok()).toBe(true);
		const key = (await (await api.post('/api/v1/keys', { data: { name: `e2e-ux-${Date.now()}`, scopes: ['usage:write'] } })).json()).key as string;
		const res = await api.post('/api/v1/usage', {
			headers: { authorization: `Bearer ${key}` },
			data: { request_id: `e2e-ux-${Date.now()}-${userId}`, user_id: userId, model: 'e2e-ux', input_tokens: 10, output_tokens: 10, cost }
		});
		expect((await res.json()).settled).toBe(1);
	} finally {
		await api.dispose();
	}
}

async function openRecharge(page: Page, path = '/recharge') {
	await page.goto(path);
	await expect(page.getByTestId('recharge-form')).toHaveAttribute('data-ready', 'true');
}

const visibleChip = (page: Page) => page.locator('[data-testid="balance-chip"]:visible');

test('1: /api/docs answers on Node 20 with a quick start, who may call each route, errors and fields, in both languages', async ({ page }) => {
	test.setTimeout(150_000);
	await signIn(page, demo.alice);
	await page.goto('/keys');
	await page.getByTestId('docs-link').click();
	await page.waitForURL('**/api/docs#quick-start');
	const quick = page.getByTestId('docs-quick-start');
	await expect(quick.locator('h2')).toHaveText('网关接入：四步');
	await expect(quick.locator('pre').first()).toContainText('export TALLY_KEY');
	await expect(quick).toContainText(`${new URL(page.url()).origin}/api/v1/usage/authorize`);
	await expect(quick).toContainText('"token_balance"');
	const report = page.getByTestId('docs-op-POST-/v1/usage');
	await report.locator('summary').first().click();
	await expect(report.getByTestId('docs-access')).toContainText('usage:write');
	await expect(report.getByTestId('docs-errors')).toContainText('409');
	await expect(report).toContainText('request_id');
	await expect(report).toContainText('a repeat is billed once');
	await page.setViewportSize(DESKTOP);
	await shot(page, '01-api-docs-zh');
	await page.getByTestId('language-switch').click();
	await expect(page.getByTestId('docs-quick-start').locator('h2')).toHaveText('Gateway quick start: four steps');
	await page.getByTestId('docs-back').click();
	await page.waitForURL('**/dashboard');
	await page.goto('/api/docs');
	await page.getByTestId('language-switch').click();
	await expect(page.getByTestId('docs-quick-start').locator('h2')).toHaveText('网关接入：四步');
});

test('2, 13: a new user is welcomed with the grant and first steps; no broken chart, an empty state instead', async ({ page }) => {
	test.setTimeout(150_000);
	for (const size of [PHONE, DESKTOP]) {
		await page.setViewportSize(size);
		await page.context().clearCookies();
		await register(page, freshEmail('welcome'));
		await expect(page.getByTestId('welcome-grant')).toContainText('¥100.00');
		await expect(page.getByTestId('welcome-step-key')).toHaveAttribute('data-done', 'false');
		await expect(page.getByTestId('chart-empty')).toBeVisible();
		await expect(page.getByTestId('cost-chart')).toHaveCount(0);
		await expect(page.getByTestId('recent-usage-empty')).toHaveText('还没有用量记录。');
		await expect(page.getByTestId('balance-credits')).toContainText('10,000 积分 = ¥1');
		await shot(page, `13-welcome-${size.width}`);
	}
	await page.goto('/keys');
	await page.getByTestId('key-name').fill('first');
	await page.getByTestId('key-create').click();
	await expect(page.getByTestId('new-key')).toBeVisible();
	await page.goto('/dashboard');
	await expect(page.getByTestId('welcome-step-key')).toHaveAttribute('data-done', 'true');
});

test('2, 5: money on the chart axis and the totals has one number of decimals and is not cut off on a phone', async ({ page, baseURL }) => {
	await page.setViewportSize(PHONE);
	await register(page, freshEmail('axis'));
	await bill(baseURL!, await myId(page), 7_523);
	await page.reload();
	const labels = await page.getByTestId('cost-chart').locator('svg > text').allTextContents();
	expect(labels.length).toBeGreaterThan(1);
	for (const label of labels) expect(label).toMatch(/^¥[\d,]+(\.\d+)?$/);
	expect(new Set(labels.map((l) => (l.split('.')[1] ?? '').length)).size).toBe(1);
	for (const key of ['today', 'month', 'all']) {
		const total = page.getByTestId(`total-${key}`);
		await expect(total).toHaveText('¥0.75');
		expect(await total.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
	}
	await expect(page.getByTestId('balance-money')).toHaveText('¥99.25');
	await shot(page, '02-dashboard-axis-375');
});

test('8: the balance chip is on every page at both widths, red in arrears; the recharge page preselects the tier that clears the debt', async ({ page, baseURL }) => {
	test.setTimeout(150_000);
	await register(page, freshEmail('chip'));
	for (const size of [PHONE, DESKTOP]) {
		await page.setViewportSize(size);
		for (const path of ['/dashboard', '/usage', '/keys', '/enterprises', '/account']) {
			await page.goto(path);
			await expect(visibleChip(page)).toHaveCount(1);
			await expect(visibleChip(page)).toHaveAttribute('data-arrears', 'false');
		}
	}
	await bill(baseURL!, await myId(page), 1_300_000);
	await page.goto('/usage');
	await expect(visibleChip(page)).toHaveAttribute('data-arrears', 'true');
	await expect(visibleChip(page)).toContainText('-¥30.00');
	await openRecharge(page);
	await expect(page.getByTestId('arrears-note')).toContainText('¥30.00');
	await expect(page.getByTestId('arrears-note')).toContainText('你自己的余额');
	await expect(page.getByTestId('tier-card-50')).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByTestId('summary-balance-after')).toHaveText('¥30.00');
	await shot(page, '08-arrears-recharge-1280');
});

test('8: demo carol in arrears is told that her enterprise pays for now', async ({ page }) => {
	await signIn(page, demo.carol);
	await openRecharge(page);
	await expect(page.getByTestId('arrears-note')).toContainText('星河科技');
});

test('7, 10, 11: the bonus rule is stated, the custom range is checked under the field, and a phone shows a sticky pay bar', async ({ page }) => {
	await page.setViewportSize(PHONE);
	await register(page, freshEmail('bar'));
	await openRecharge(page);
	await expect(page.getByTestId('bonus-rule')).toContainText('20%');
	await expect(page.getByTestId('bonus-rule')).toContainText('¥100.00');
	const hintColor = await page.getByTestId('custom-hint').evaluate((el) => getComputedStyle(el).color);
	const errorLike = await page.evaluate(() => {
		const p = document.createElement('p');
		p.className = 'field-error';
		document.body.append(p);
		return getComputedStyle(p).color;
	});
	expect(hintColor).not.toBe(errorLike);

	await page.getByTestId('tier-card-50').click();
	const bar = page.getByTestId('pay-bar');
	await expect(bar).toBeInViewport();
	await expect(page.getByTestId('pay-bar-total')).toHaveText('¥60.00');
	await expect(page.getByTestId('pay-bar-bonus')).toHaveText('（含赠送 ¥10.00）');
	await expect(page.getByTestId('pay-bar-submit')).toHaveText('去支付 ¥50.00');
	await shot(page, '10-pay-bar-375');

	const custom = page.getByTestId('custom-amount');
	await custom.fill('0.5');
	await expect(page.getByTestId('custom-error')).toContainText('¥1.00');
	await expect(page.getByTestId('recharge-submit')).toBeDisabled();
	await expect(custom).toHaveValue('0.5');
	await custom.fill('60');
	await expect(page.getByTestId('custom-error')).toHaveCount(0);
	await expect(page.getByTestId('recharge-submit')).toBeEnabled();
	await shot(page, '11-custom-range-375');
});

test('9: pay pressed twice makes one order; a pending order continues or cancels, a cancelled one pays again', async ({ page }) => {
	await register(page, freshEmail('once'));
	await openRecharge(page);
	await page.getByTestId('tier-card-10').click();
	await page.getByTestId('method-sandbox').check();
	await page.getByTestId('recharge-submit').click();
	await page.waitForURL('**/recharge/sandbox/**');
	await openRecharge(page);
	await page.getByTestId('tier-card-10').click();
	await page.getByTestId('recharge-submit').click();
	await page.waitForURL('**/recharge/sandbox/**');
	await openRecharge(page);
	const rows = page.getByTestId('recharge-history').locator('tbody tr');
	await expect(rows).toHaveCount(1);
	const id = (await rows.first().getAttribute('data-testid'))!.replace('history-row-', '');
	await expect(page.getByTestId(`order-continue-${id}`)).toHaveAttribute('href', new RegExp(`/recharge/sandbox/${id}`));
	await shot(page, '09-pending-order-1280');
	await page.getByTestId(`order-cancel-${id}`).click();
	await expect(page.getByTestId(`history-row-${id}`).getByTestId('order-status')).toHaveText('已过期');
	await page.getByTestId(`order-retry-${id}`).click();
	await page.waitForURL('**/recharge/sandbox/**');
	expect(page.url()).not.toContain(id);
});

test('12: enterprise recharge says there is no bonus, lists only its orders, and its receipt names the wallet and leads back', async ({ page }) => {
	await signIn(page, demo.carol);
	await openRecharge(page);
	const target = page.getByTestId('recharge-targets').locator('a', { hasText: '云帆数据' });
	await target.click();
	await expect(page.getByTestId('recharge-enterprise-note')).toContainText('不享受首充优惠');
	await expect(page.locator('[data-testid^="tier-used-"]')).toHaveCount(0);
	await expect(page.getByTestId('bonus-rule')).toHaveCount(0);
	await page.getByTestId('tier-card-10').click();
	await page.getByTestId('recharge-submit').click();
	await page.waitForURL('**/recharge/sandbox/**');
	await page.getByTestId('sandbox-pay').click();
	await page.waitForURL('**/recharge/orders/**');
	await expect(page.getByTestId('receipt-wallet')).toContainText('云帆数据');
	const orderId = new URL(page.url()).pathname.split('/').pop()!;
	await shot(page, '12-enterprise-receipt-1280');
	await page.getByTestId('order-back').click();
	await expect(page).toHaveURL(/\/recharge\?enterprise=\d+/);
	await expect(page.getByTestId(`history-row-${orderId}`)).toHaveCount(1);
	await page.goto('/recharge');
	await expect(page.getByTestId('recharge-form')).toBeVisible();
	await expect(page.getByTestId(`history-row-${orderId}`)).toHaveCount(0);
});

test('13, 14: the usage page tells the truth when empty, totals the filtered range, offers quick ranges and names the CSV by its range', async ({ page, baseURL }) => {
	await register(page, freshEmail('usage'));
	await page.goto('/usage');
	await expect(page.getByTestId('usage-log-empty')).toContainText('还没有用量记录');
	await bill(baseURL!, await myId(page), 12_345);
	await bill(baseURL!, await myId(page), 10_000);
	await page.goto('/usage');
	await expect(page.getByTestId('range-totals')).toContainText('2 次请求');
	await expect(page.getByTestId('range-totals')).toContainText('¥2.23');
	await page.getByTestId('quick-7d').click();
	await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
	await expect(page.getByTestId('quick-7d')).toHaveAttribute('aria-current', 'true');
	await expect(page.getByTestId('range-totals')).toContainText('2 次请求');
	const url = new URL(page.url());
	const [from, to] = [url.searchParams.get('from'), url.searchParams.get('to')];
	const href = await page.getByTestId('export-csv').getAttribute('href');
	const csv = await page.request.get(href!);
	expect(csv.headers()['content-disposition']).toContain(`usage-${from}_to_${to}.csv`);
	const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
	expect(lines[0].split(',')[6]).toBe('费用（CNY）');
	expect(lines.slice(1).map((l) => l.split(',')[6]).sort()).toEqual(['1', '1.2345']);
	await page.setViewportSize(DESKTOP);
	await shot(page, '14-usage-filters-1280');
});
