import { test, expect, signIn, register, demo, freshEmail } from './fixtures';
import type { Browser, Page } from '@playwright/test';

async function newPage(browser: Browser, opts: { width?: number } = {}): Promise<Page> {
	const context = await browser.newContext({
		baseURL: test.info().project.use.baseURL,
		locale: 'zh-CN',
		viewport: opts.width ? { width: opts.width, height: 800 } : undefined
	});
	return context.newPage();
}

test('an enterprise admin invites members who accept; usage posted through the API is paid by the enterprise', async ({ browser }) => {
	const stamp = Date.now();
	const enterpriseName = `E2E 企业 ${stamp}`;
	const first = freshEmail('member-one');
	const second = freshEmail('member-two');

	// Two new people sign up; the first uses a phone-sized screen.
	const memberPage = await newPage(browser, { width: 375 });
	await register(memberPage, first, 'e2e-pass-123', 'Member One');
	const otherPage = await newPage(browser);
	await register(otherPage, second, 'e2e-pass-123', 'Member Two');

	// The platform admin creates the enterprise and names Bob its admin.
	const adminPage = await newPage(browser);
	await signIn(adminPage, demo.admin);
	await adminPage.goto('/admin/enterprises');
	await adminPage.getByTestId('enterprise-name').fill(enterpriseName);
	await adminPage.getByTestId('enterprise-admins').fill(demo.bob.email);
	await adminPage.getByTestId('enterprise-create').click();
	await expect(adminPage.getByTestId('enterprises-table')).toContainText(enterpriseName);

	// Bob invites one person by email and one through the batch box (with an unknown email beside it).
	const bobPage = await newPage(browser);
	await signIn(bobPage, demo.bob);
	await bobPage.goto('/enterprises');
	await bobPage.locator('li', { hasText: enterpriseName }).getByTestId('manage-enterprise').click();
	await bobPage.waitForURL(/\/enterprises\/\d+$/);
	const enterpriseId = Number(new URL(bobPage.url()).pathname.split('/').pop());
	await bobPage.getByTestId('add-member-email').fill(first);
	await bobPage.getByTestId('add-member').click();
	await expect(bobPage.locator(`[data-testid="batch-row"][data-status="invited"]`)).toContainText(first);
	await bobPage.getByTestId('batch-emails').fill(`${second}\nnobody-${stamp}@example.com`);
	await bobPage.getByTestId('batch-add').click();
	await expect(bobPage.locator(`[data-testid="batch-row"][data-status="signup_link"]`)).toContainText(`nobody-${stamp}@example.com`);
	await expect(bobPage.locator(`[data-testid="invitation-row"][data-email="${second}"]`)).toBeVisible();
	await expect(bobPage.locator(`[data-testid="member-row"][data-email="${first}"]`)).toHaveCount(0);

	// Both accept in "My enterprises"; only then are they members.
	for (const page of [memberPage, otherPage]) {
		await page.goto('/enterprises');
		await page.getByTestId('invitation').filter({ hasText: enterpriseName }).getByTestId('accept-invitation').click();
		await expect(page.getByTestId('my-enterprise').filter({ hasText: enterpriseName })).toBeVisible();
	}
	await bobPage.reload();
	await expect(bobPage.locator(`[data-testid="member-row"][data-email="${first}"]`)).toBeVisible();
	await expect(bobPage.locator(`[data-testid="member-row"][data-email="${second}"]`)).toBeVisible();
	const memberId = Number(await bobPage.locator(`[data-testid="member-row"][data-email="${first}"]`).getAttribute('data-user-id'));

	// The member sees the enterprise in "My enterprises".
	await memberPage.goto('/enterprises');
	const card = memberPage.getByTestId('my-enterprise').filter({ hasText: enterpriseName });
	await expect(card).toBeVisible();
	expect(await memberPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

	// The platform admin funds the enterprise and a machine client reports usage.
	const funded = await adminPage.request.post('/api/v1/admin/credits/adjust', {
		data: { enterprise_id: enterpriseId, amount: 1_000_000, reason: 'e2e funding', idempotency_key: `e2e-fund-${stamp}` }
	});
	expect(funded.status()).toBe(200);
	const usage = await adminPage.request.post('/api/v1/usage', {
		data: { request_id: `e2e-enterprise-${stamp}`, user_id: memberId, model: 'gpt-4o', input_tokens: 1000, output_tokens: 500 }
	});
	expect(usage.status()).toBe(200);
	expect(JSON.stringify(await usage.json())).toContain(`"enterprise_id":${enterpriseId}`);

	// "Paid by" the enterprise on the member's dashboard, and on Bob's report.
	await memberPage.goto('/dashboard');
	await expect(memberPage.getByTestId('recent-usage').getByTestId('usage-row').first()).toContainText(enterpriseName);
	await memberPage.goto('/enterprises');
	await expect(card.getByTestId('my-enterprise-status')).toHaveText('可支付');

	await bobPage.reload();
	const reportRow = bobPage.locator(`[data-testid="report-row"][data-email="${first}"]`);
	await expect(reportRow.getByTestId('report-requests')).toHaveText('1');
	const csv = await bobPage.request.get(`/enterprises/${enterpriseId}/report.csv`);
	expect(csv.status()).toBe(200);
	expect(await csv.text()).toContain(first);

	// Someone who does not administer it cannot open the console.
	const stranger = await otherPage.goto(`/enterprises/${enterpriseId}`);
	expect(stranger?.status()).toBe(403);
});

test('an enterprise admin searches members by name or email, in place with JavaScript and through a GET without it', async ({ browser }) => {
	const bob = await newPage(browser);
	await signIn(bob, demo.bob);
	await bob.goto('/enterprises');
	await bob.locator('li', { hasText: 'Galaxy' }).getByTestId('manage-enterprise').click();
	await bob.waitForURL(/\/enterprises\/\d+$/);
	const path = new URL(bob.url()).pathname;
	await bob.waitForLoadState('networkidle');
	const rows = bob.getByTestId('members-table').getByTestId('member-row');
	await expect(bob.locator(`[data-testid="member-row"][data-email="${demo.carol.email}"]`)).toHaveCount(1);

	// With JavaScript the list follows the typing (debounced) through the typed client: no navigation.
	await bob.evaluate(() => Object.assign(window, { e2eSamePage: true }));
	await bob.getByTestId('member-q').fill('ALICE@TALLY');
	await expect(bob).toHaveURL(new RegExp(`${path}\\?q=ALICE%40TALLY$`));
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toHaveAttribute('data-email', demo.alice.email);
	await bob.getByTestId('member-q').fill('carol');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toHaveAttribute('data-email', demo.carol.email);
	await bob.getByTestId('member-q').fill('100%');
	await expect(rows).toHaveCount(0);
	await expect(bob.getByTestId('members-empty')).toBeVisible();
	expect(await bob.evaluate(() => 'e2eSamePage' in window)).toBe(true);
	// Clearing is a navigation back to the whole list.
	await bob.getByTestId('member-search-clear').click();
	await expect(bob).toHaveURL(new RegExp(`${path}$`));
	await expect(bob.getByTestId('member-q')).toHaveValue('');
	await expect(rows.filter({ hasText: demo.alice.email })).toHaveCount(1);

	// Without JavaScript the search box is a GET that the load answers.
	const noScript = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false, storageState: await bob.context().storageState() });
	const plain = await noScript.newPage();
	await plain.goto(path);
	await plain.getByTestId('member-q').fill('Carol');
	await plain.getByTestId('member-search-submit').click();
	await plain.waitForURL(/\?q=Carol$/);
	await expect(plain.getByTestId('member-row')).toHaveCount(1);
	await expect(plain.getByTestId('member-row').first()).toHaveAttribute('data-email', demo.carol.email);
	await expect(plain.getByTestId('member-q')).toHaveValue('Carol');
	await noScript.close();
	await bob.context().close();
});
