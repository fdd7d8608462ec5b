import { spawnSync } from 'node:child_process';
import { request as playwrightRequest } from '@playwright/test';
import { test, expect, signIn, demo } from './fixtures';

/** A users:sync key made by the demo admin through the REST API, as a platform operator would. */
async function platformKey(baseURL: string): Promise<string> {
	const api = await playwrightRequest.newContext({ baseURL });
	try {
		expect((await api.post('/api/v1/auth/login', { data: demo.admin })).ok()).toBe(true);
		const created = await api.post('/api/v1/keys', { data: { name: `e2e-platform-${Date.now()}`, scopes: ['users:sync'] } });
		expect(created.ok()).toBe(true);
		return (await created.json()).key as string;
	} finally {
		await api.dispose();
	}
}

/** Playwright asks its workers for colour; console.log would then wrap numbers in escape codes. */
function withoutColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const { FORCE_COLOR: _force, ...rest } = env;
	return { ...rest, NO_COLOR: '1' };
}

/** The typed client's README example (clients/typescript/examples/readme.ts), run as a platform would. */
function runReadmeExample(baseURL: string, key: string): string {
	const run = spawnSync(
		process.execPath,
		['node_modules/tsx/dist/cli.mjs', '--tsconfig', 'clients/typescript/tsconfig.json', 'clients/typescript/examples/readme.ts'],
		{ encoding: 'utf8', env: { ...withoutColor(process.env), TALLY_URL: baseURL, TALLY_API_KEY: key }, timeout: 120_000 }
	);
	expect(run.status, run.stderr).toBe(0);
	return run.stdout;
}

test('the typed client README example runs against the app: sync → top-up once → token → stats → capacity', async ({ baseURL }) => {
	test.setTimeout(180_000);
	const key = await platformKey(baseURL!);
	const first = runReadmeExample(baseURL!, key);
	expect(first).toMatch(/^(new|known) user \d+$/m);
	const credits = 999 * 720; // $9.99 at 72,000 credits per US$
	const balance = Number(/balance (\d+)/.exec(first)?.[1]);
	expect(first).toContain(`credits ${credits} balance ${balance}`);
	expect(first).toMatch(/^key tly_\w+$/m);
	expect(first).toContain('requests 0 cost 0');
	expect(first).toMatch(/^buys ≈ \d+ tokens of deepseek-chat; lasts ∞ days$/m);

	// The same payment again: the same answer, nothing credited twice.
	const second = runReadmeExample(baseURL!, key);
	expect(second).toMatch(/^known user \d+$/m);
	expect(second).toContain(`credits ${credits} balance ${balance}`);

	const api = await playwrightRequest.newContext({ baseURL });
	try {
		const doc = await (await api.get('/api/openapi.json')).json();
		expect(doc.servers[0].url).toBe(`${baseURL}/api`);
		expect(Object.keys(doc.paths)).toContain('/user/external/{external_user_id}/balance-capacity');
		expect((await api.get('/api/user/external/wx_10001')).status()).toBe(401);
		const profile = await api.get('/api/user/external/wx_10001', { headers: { authorization: `Bearer ${key}` } });
		expect(await profile.json()).toMatchObject({ external_user_id: 'wx_10001', login_type: 'wechat', balance: { credits: balance }, plan: null });
	} finally {
		await api.dispose();
	}
});

test('admins see an external user’s id and login type; a signed-in user sees what the balance buys', async ({ page, baseURL }) => {
	const key = await platformKey(baseURL!);
	const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
	const id = `alipay_${Date.now()}`;
	try {
		const synced = await api.post('/api/user/external/sync', { data: { external_user_id: id, login_type: 'alipay', alipay_userid: '2088000000000001', name: '韩梅梅' } });
		expect(synced.ok()).toBe(true);
	} finally {
		await api.dispose();
	}

	await signIn(page, demo.admin);
	await page.goto(`/admin/users?q=${id}`);
	const row = page.locator('tr', { hasText: id });
	await expect(row).toContainText('韩梅梅');
	await expect(row).toContainText('支付宝');
	await expect(row).toContainText('2088000000000001');

	await page.context().clearCookies();
	await signIn(page, demo.alice);
	const line = page.getByTestId('balance-capacity');
	await expect(line).toContainText('deepseek-chat');
	await expect(line).toContainText(/你的余额约可购买 [\d.]+[kMBT]? tokens 的 deepseek-chat · (按当前速度约可使用 [\d,]+ 天|近 7 天没有消费)/);
});
