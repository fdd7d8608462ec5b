import { demo, expect, freshEmail, register, signIn, test } from './fixtures';

test('a user picks scopes they may hold; the key does only that, cannot make keys, and stops when revoked', async ({ page, request }) => {
	await register(page, freshEmail('scopes'));
	await page.goto('/keys');
	const scopes = page.getByTestId('key-scopes');
	await expect(scopes).toContainText('只为本账户上报和预检用量');
	await expect(page.getByTestId('scope-usage:write:own')).toBeVisible();
	// A plain user may not hold a key that bills anyone, so it is not offered.
	await expect(page.getByTestId('scope-usage:write')).toHaveCount(0);
	await expect(page.getByTestId('scope-admin')).toHaveCount(0);

	await page.getByTestId('key-name').fill('reader');
	await page.getByTestId('scope-usage:read').check();
	await page.getByTestId('key-create').click();
	const secret = (await page.getByTestId('new-key-secret').textContent())!.trim();
	const bearer = { authorization: `Bearer ${secret}` };

	expect((await request.get('/api/v1/token-usage/balance', { headers: bearer })).status()).toBe(200);
	const minted = await request.post('/api/v1/keys', { headers: bearer, data: { name: 'child', scopes: ['usage:read'] } });
	expect(minted.status()).toBe(403);
	expect((await minted.json()).message).toBe('session_required');
	expect((await request.post('/api/v1/recharge/orders', { headers: bearer, data: { amount: '10', method: 'sandbox' } })).status()).toBe(403);

	await page.reload();
	await expect(page.getByTestId('keys-table')).toContainText('usage:read');
	await page.getByTestId('keys-table').getByRole('button', { name: '吊销' }).click();
	await page.getByTestId('confirm-yes').click();
	await expect(page.getByTestId('keys-table')).toContainText('已吊销');
	expect((await request.get('/api/v1/token-usage/balance', { headers: bearer })).status()).toBe(401);
});

test('an admin is offered every scope and warned that usage:write bills any user (English)', async ({ page }) => {
	await signIn(page, demo.admin);
	await page.goto('/keys');
	await page.getByTestId('language-switch').click();
	try {
		await expect(page.getByTestId('scope-admin')).toBeVisible();
		await expect(page.getByTestId('scope-usage:write')).toBeVisible();
		await expect(page.getByTestId('any-user-warning')).toContainText('can bill any user');
		await expect(page.getByTestId('key-scopes')).toContainText('Report and authorize usage for this account only');
	} finally {
		// The language is saved on the account; later tests sign in as the same admin in zh-CN.
		await page.getByTestId('language-switch').click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	}
});
