import { emptyInstancePort } from '../../playwright.config';
import { demo, expect, freshEmail, register, signIn, test } from './fixtures';

const emptyInstance = `http://127.0.0.1:${emptyInstancePort}`;

test.describe('accounts and roles', () => {
	test('register lands on the dashboard, sign out, sign in again', async ({ page }) => {
		const email = freshEmail('reg');
		await register(page, email, 'e2e-pass-123', '测试用户');
		await expect(page.getByTestId('dashboard-title')).toBeVisible();
		await page.getByTestId('sign-out').click();
		await page.waitForURL('**/login');
		await page.goto('/dashboard');
		await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);
		await signIn(page, { email, password: 'e2e-pass-123' });
		await expect(page.getByTestId('dashboard-title')).toBeVisible();
	});

	test('a wrong password shows a clear message and does not say whether the email exists', async ({ page }) => {
		await page.goto('/login');
		await page.getByTestId('login-email').fill('admin@tally.local');
		await page.getByTestId('login-password').fill('wrong-password-1');
		await page.getByTestId('login-submit').click();
		const known = await page.getByTestId('login-error').textContent();
		await page.getByTestId('login-email').fill(freshEmail('nobody'));
		await page.getByTestId('login-password').fill('wrong-password-1');
		await page.getByTestId('login-submit').click();
		await expect(page.getByTestId('login-error')).toHaveText(known!);
		expect(known).toContain('邮箱或密码错误');
	});

	test('on an empty instance the first account is admin and sees Admin, the second does not', async ({ browser }) => {
		const first = await browser.newContext({ baseURL: emptyInstance, locale: 'zh-CN' });
		const p1 = await first.newPage();
		await register(p1, freshEmail('first'));
		await expect(p1.getByTestId('nav-admin')).toBeVisible();
		await p1.goto('/admin');
		await expect(p1.getByTestId('admin-title')).toBeVisible();

		const second = await browser.newContext({ baseURL: emptyInstance, locale: 'zh-CN' });
		const p2 = await second.newPage();
		await register(p2, freshEmail('second'));
		await expect(p2.getByTestId('main-nav')).toBeVisible();
		await expect(p2.getByTestId('nav-admin')).toHaveCount(0);
		const res = await p2.goto('/admin');
		expect(res?.status()).toBe(403);
		await first.close();
		await second.close();
	});

	test('the language switch changes the visible text', async ({ page }) => {
		await page.goto('/login');
		await expect(page.getByTestId('login-submit')).toHaveText('登录');
		await page.getByTestId('language-switch').click();
		await expect(page.getByTestId('login-submit')).toHaveText('Sign in');
		await page.getByTestId('language-switch').click();
		await expect(page.getByTestId('login-submit')).toHaveText('登录');
	});

	test('an API key created in the UI works as a bearer token, and stops working when revoked', async ({ page, request }) => {
		const email = freshEmail('key');
		await register(page, email);
		await page.goto('/keys');
		await page.getByTestId('key-name').fill('my gateway');
		await page.getByTestId('key-create').click();
		const secret = (await page.getByTestId('new-key-secret').textContent())!.trim();
		expect(secret).toMatch(/^tly_/);

		const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
		expect(me.status()).toBe(200);
		expect(await me.json()).toMatchObject({ email, role: 'user', locale: 'zh-CN' });

		await page.reload();
		await expect(page.getByTestId('keys-table')).toContainText('my gateway');
		await page.getByTestId('keys-table').getByRole('button', { name: '吊销' }).click();
		await page.getByTestId('confirm-yes').click();
		await expect(page.getByTestId('keys-table')).toContainText('已吊销');
		const after = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
		expect(after.status()).toBe(401);
	});

	test('the shell works at 375 px without horizontal scrolling', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 800 });
		await signIn(page, { email: 'alice@tally.local', password: 'tally-demo-1' });
		await expect(page.getByTestId('main-nav')).toBeHidden();
		await page.getByTestId('menu-toggle').click();
		await expect(page.getByTestId('nav-keys')).toBeVisible();
		await page.getByTestId('nav-keys').click();
		await page.waitForURL('**/keys');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});
});

test('REST: sign in, call with the session, and a body-less POST as clients written to the requirement docs send it', async ({ playwright, baseURL }) => {
	const api = await playwright.request.newContext({ baseURL });
	const login = await api.post('/api/v1/auth/login', { data: demo.admin });
	expect(login.status()).toBe(200);
	expect((await (await api.get('/api/v1/me')).json()).role).toBe('admin');
	const docs = await api.get('/api/openapi.json');
	expect(Object.keys((await docs.json()).paths)).toContain('/v1/me');
	// No body and no content type, like `curl -X POST`.
	const logout = await api.fetch('/api/v1/auth/logout', { method: 'POST' });
	expect(logout.status()).toBe(200);
	expect((await api.get('/api/v1/me')).status()).toBe(401);
	await api.dispose();
});
