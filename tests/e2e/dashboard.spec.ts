import { request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { test, expect, signIn, register, demo, freshEmail } from './fixtures';

/** A service key with the usage:write scope, made by the demo admin through the REST API. */
async function serviceKey(baseURL: string): Promise<string> {
	const api = await playwrightRequest.newContext({ baseURL });
	try {
		const login = await api.post('/api/v1/auth/login', { data: demo.admin });
		expect(login.ok()).toBe(true);
		const created = await api.post('/api/v1/keys', { data: { name: `e2e-usage-${Date.now()}`, scopes: ['usage:write'] } });
		expect(created.ok()).toBe(true);
		return (await created.json()).key as string;
	} finally {
		await api.dispose();
	}
}

async function postUsage(baseURL: string, key: string, events: object[]) {
	const api: APIRequestContext = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
	try {
		const res = await api.post('/api/v1/usage', { data: { events } });
		expect(res.ok()).toBe(true);
		const body = await res.json();
		expect(body.settled).toBe(events.length);
		return body.results as Array<{ enterprise_id: number | null; cost: number }>;
	} finally {
		await api.dispose();
	}
}

async function myId(page: Page): Promise<number> {
	const res = await page.request.get('/api/v1/me');
	expect(res.ok()).toBe(true);
	return (await res.json()).id;
}

test('a demo user sees balance, charts and the log after usage is posted through the API', async ({ page, baseURL, browser }) => {
	await signIn(page, demo.alice);
	const userId = await myId(page);
	const before = Number(await page.getByTestId('balance-card').getAttribute('data-balance'));
	const key = await serviceKey(baseURL!);
	const model = `e2e-model-${Date.now()}`;
	const run = Date.now();
	const results = await postUsage(baseURL!, key, [
		{ request_id: `e2e-dash-${run}-1`, user_id: userId, model, input_tokens: 1200, output_tokens: 300, cost: 12_345 },
		{ request_id: `e2e-dash-${run}-2`, user_id: userId, model, input_tokens: 800, output_tokens: 200, cost: 7_655 }
	]);

	await page.reload();
	await expect(page.getByTestId('dashboard-title')).toBeVisible();
	// Alice may belong to a demo enterprise that pays first; her own balance drops only by what she paid.
	const paidPersonally = results.filter((r) => r.enterprise_id === null).reduce((s, r) => s + r.cost, 0);
	await expect(page.getByTestId('balance-card')).toHaveAttribute('data-balance', String(before - paidPersonally));
	await expect(page.getByTestId('balance-money')).toContainText('¥');
	// The chart counts days in the browser's time zone (reported by the root layout's cookie).
	const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
	const todayBar = page.getByTestId('cost-chart').locator(`g[data-day="${today}"]`);
	expect(Number(await todayBar.getAttribute('data-total'))).toBeGreaterThanOrEqual(20_000);
	await expect(page.getByTestId('cost-chart').locator('svg title').first()).not.toBeEmpty();
	await expect(page.getByTestId('tokens-chart')).toContainText(model);
	await expect(page.getByTestId('top-models')).toContainText(model);
	await expect(page.getByTestId('recent-usage')).toContainText(model);

	await page.getByTestId('view-all-usage').click();
	await page.waitForURL('**/usage');
	// Let the page hydrate first, so hydration cannot reset the chosen option.
	await page.waitForLoadState('networkidle');
	// With JavaScript the log is filtered in place through the typed client: the page is not loaded again.
	await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));
	await page.getByTestId('filter-model').selectOption(model);
	await page.getByTestId('filter-submit').click();
	await expect(page).toHaveURL(new RegExp(`model=${encodeURIComponent(model)}`));
	await expect(page.getByTestId('usage-log').getByTestId('usage-row')).toHaveCount(2);
	expect(await page.evaluate(() => 'e2eSamePage' in window)).toBe(true);
	// A reversed range is refused in place too, naming the field.
	await page.getByTestId('filter-from').fill('2026-02-02');
	await page.getByTestId('filter-to').fill('2026-01-01');
	await page.getByTestId('filter-submit').click();
	await expect(page.locator('#filter-to + .field-error')).toBeVisible();
	expect(await page.evaluate(() => 'e2eSamePage' in window)).toBe(true);
	// Reset is a navigation again, even to the URL the page was loaded at: the fetched page is dropped.
	await page.getByTestId('filter-reset').click();
	await expect(page).toHaveURL(/\/usage$/);
	await expect(page.locator('#filter-to + .field-error')).toHaveCount(0);
	await expect(page.getByTestId('filter-model')).toHaveValue('');

	// Without JavaScript the same form is a GET that the load answers.
	const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
	const plain = await noScript.newPage();
	await plain.goto('/usage');
	await plain.getByTestId('filter-model').selectOption(model);
	await plain.getByTestId('filter-submit').click();
	await plain.waitForURL(/model=/);
	await expect(plain.getByTestId('usage-log').getByTestId('usage-row')).toHaveCount(2);
	await noScript.close();
	const csv = await page.request.get(`/usage/export.csv?model=${encodeURIComponent(model)}`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
	// Column names in the UI language (this suite runs in zh-CN); the file is named by its date range.
	expect(lines[0]).toBe('时间,请求 ID,模型,输入 Token,输出 Token,费用（积分）,费用（CNY）,付款方,图片,额度抵扣,余额支付');
	expect(csv.headers()['content-disposition']).toMatch(/filename="usage-start_to_\d{4}-\d{2}-\d{2}\.csv"/);
	expect(lines).toHaveLength(3);
	expect(lines[1]).toContain(`e2e-dash-${run}-2`);

	const rest = await page.request.get(`/api/v1/usage/records?model=${encodeURIComponent(model)}&limit=1`);
	expect(rest.ok()).toBe(true);
	const restBody = await rest.json();
	expect(restBody.records).toHaveLength(1);
	expect(restBody.records[0].request_id).toBe(`e2e-dash-${run}-2`);
	const older = await page.request.get(`/api/v1/usage/records?model=${encodeURIComponent(model)}&limit=1&after=${restBody.next_cursor}`);
	expect((await older.json()).records[0].request_id).toBe(`e2e-dash-${run}-1`);

	await page.getByTestId('tab-wallet').click();
	await expect(page.getByTestId('wallet-table').locator('[data-kind="usage"]').first()).toBeVisible();
});

test('a user in arrears sees 欠费 and a recharge button, also on a phone', async ({ page, baseURL }) => {
	await page.setViewportSize({ width: 375, height: 800 });
	await register(page, freshEmail('arrears'));
	const userId = await myId(page);
	await expect(page.getByTestId('arrears-badge')).toHaveCount(0);
	const key = await serviceKey(baseURL!);
	await postUsage(baseURL!, key, [{ request_id: `e2e-arrears-${Date.now()}`, user_id: userId, model: 'e2e-big-job', input_tokens: 10, output_tokens: 10, cost: 1_300_000 }]);

	await page.reload();
	await expect(page.getByTestId('arrears-badge')).toHaveText('欠费');
	await expect(page.getByTestId('balance-money')).toContainText('-¥30.00');
	await expect(page.getByTestId('recharge-button')).toHaveAttribute('href', '/recharge');
	await expect(page.getByTestId('cost-chart')).toBeVisible();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
});

test('demo carol, seeded into arrears, sees 欠费 on her dashboard', async ({ page }) => {
	await signIn(page, demo.carol);
	await expect(page.getByTestId('arrears-badge')).toHaveText('欠费');
	expect(Number(await page.getByTestId('balance-card').getAttribute('data-balance'))).toBeLessThan(0);
	await expect(page.getByTestId('balance-money')).toContainText('-¥');
});

test('an admin sees platform usage and any user; a user cannot open another user’s dashboard', async ({ page }) => {
	await signIn(page, demo.bob);
	const bobId = await myId(page);
	await page.goto(`/dashboard?user=${bobId + 1}`);
	await expect(page.getByTestId('dashboard-title')).toHaveCount(0);
	expect((await page.request.get(`/api/v1/usage/records?user_id=${bobId + 1}`)).status()).toBe(403);
	await page.context().clearCookies();

	await signIn(page, demo.admin);
	await page.goto('/admin/usage');
	await expect(page.getByTestId('platform-totals')).toBeVisible();
	await expect(page.getByTestId('user-search')).toBeVisible();
	await page.goto('/admin/usage?q=bob%40tally.local');
	await page.getByTestId('user-results').getByTestId(`view-dashboard-${bobId}`).click();
	await expect(page.getByTestId('viewing-user')).toContainText('bob@tally.local');
});

test('the chart range is picked in place with JavaScript and through a GET without it', async ({ page, baseURL, browser }) => {
	await register(page, freshEmail('range'), 'e2e-pass-123', 'Range User');
	const key = await serviceKey(baseURL!);
	const model = `e2e-range-${Date.now()}`;
	await postUsage(baseURL!, key, [{ request_id: `${model}-1`, user_id: await myId(page), model, input_tokens: 10, output_tokens: 5, cost: 4_000 }]);
	await page.reload();
	await page.waitForLoadState('networkidle');
	const bars = page.getByTestId('cost-chart').locator('g[data-day]');
	await expect(bars).toHaveCount(30);
	await expect(page.getByTestId('chart-days')).toHaveValue('30');

	// With JavaScript the charts are fetched through the typed client: the page is not loaded again.
	await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));
	await page.getByTestId('chart-days').selectOption('7');
	await expect(page).toHaveURL(/\/dashboard\?days=7$/);
	await expect(bars).toHaveCount(7);
	await expect(page.getByTestId('tokens-chart').locator('g[data-day]')).toHaveCount(7);
	await expect(page.getByTestId('tokens-chart')).toContainText(model);
	await page.getByTestId('chart-days').selectOption('90');
	await expect(page).toHaveURL(/\/dashboard\?days=90$/);
	await expect(bars).toHaveCount(90);
	expect(await page.evaluate(() => 'e2eSamePage' in window)).toBe(true);

	// A range that is not offered shows the default and says so.
	await page.goto('/dashboard?days=14');
	await expect(page.getByTestId('chart-days-invalid')).toBeVisible();
	await expect(bars).toHaveCount(30);
	await expect(page.getByTestId('chart-days')).toHaveValue('30');

	// Without JavaScript the same form is a GET that the load answers.
	const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
	const plain = await noScript.newPage();
	await plain.goto('/dashboard');
	await plain.getByTestId('chart-days').selectOption('7');
	await plain.getByTestId('chart-days-submit').click();
	await plain.waitForURL(/days=7/);
	await expect(plain.getByTestId('cost-chart').locator('g[data-day]')).toHaveCount(7);
	await expect(plain.getByTestId('chart-days')).toHaveValue('7');
	await noScript.close();
});
