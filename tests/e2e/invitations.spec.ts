import { test, expect, signIn, register, demo, freshEmail } from './fixtures';
import type { Browser, Page } from '@playwright/test';

async function newPage(browser: Browser, width?: number): Promise<Page> {
	const context = await browser.newContext({
		baseURL: test.info().project.use.baseURL,
		locale: 'zh-CN',
		viewport: width ? { width, height: 800 } : undefined
	});
	return context.newPage();
}

async function openGalaxy(page: Page) {
	await signIn(page, demo.bob);
	await page.goto('/enterprises');
	await page.locator('li', { hasText: 'Galaxy' }).getByTestId('manage-enterprise').first().click();
	await page.waitForURL(/\/enterprises\/\d+$/);
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test('Bob invites a registered user, who accepts in My enterprises on a phone and then appears in the member list', async ({ browser }) => {
	const email = freshEmail('invitee');
	const invitee = await newPage(browser, 375);
	await register(invitee, email, 'e2e-pass-123', 'Invited Person');

	const bob = await newPage(browser);
	await openGalaxy(bob);
	await bob.getByTestId('add-member-email').fill(email);
	await bob.getByTestId('add-member').click();
	await expect(bob.locator('[data-testid="batch-row"][data-status="invited"]')).toContainText(email);
	// Pending: shown as the email and its state, not as a member.
	await expect(bob.locator(`[data-testid="invitation-row"][data-email="${email}"]`)).toHaveAttribute('data-status', 'pending');
	await expect(bob.locator(`[data-testid="member-row"][data-email="${email}"]`)).toHaveCount(0);
	// Inviting again answers the state.
	await bob.getByTestId('add-member-email').fill(email);
	await bob.getByTestId('add-member').click();
	await expect(bob.locator('[data-testid="batch-row"][data-status="already_invited"]')).toContainText(email);

	await invitee.goto('/enterprises');
	const invitation = invitee.getByTestId('invitation').filter({ hasText: 'Galaxy' });
	await expect(invitation).toBeVisible();
	expect(await noSideScroll(invitee)).toBeLessThanOrEqual(375);
	await invitation.getByTestId('accept-invitation').click();
	await expect(invitee.getByTestId('my-enterprise').filter({ hasText: 'Galaxy' })).toBeVisible();
	await expect(invitee.getByTestId('invitation')).toHaveCount(0);
	expect(await noSideScroll(invitee)).toBeLessThanOrEqual(375);

	await bob.reload();
	await expect(bob.locator(`[data-testid="member-row"][data-email="${email}"]`)).toBeVisible();
	await expect(bob.locator(`[data-testid="invitation-row"][data-email="${email}"]`)).toHaveCount(0);
});

test('an unknown email gets a sign-up link; registering through it leaves the invitation waiting; decline and revoke', async ({ browser }) => {
	const email = freshEmail('newcomer');
	const declined = freshEmail('decliner');
	const revoked = freshEmail('revoked');
	const decliner = await newPage(browser);
	await register(decliner, declined);

	const bob = await newPage(browser, 375);
	await openGalaxy(bob);
	await bob.getByTestId('batch-emails').fill(`${email}, ${declined}; ${revoked}\nbroken@nowhere`);
	await bob.getByTestId('batch-add').click();
	await expect(bob.locator('[data-testid="batch-row"][data-status="invited"]')).toContainText(declined);
	await expect(bob.locator('[data-testid="batch-row"][data-status="invalid"]')).toContainText('broken@nowhere');
	const link = await bob.locator('[data-testid="batch-row"][data-status="signup_link"]', { hasText: email }).getByTestId('signup-link').inputValue();
	expect(link).toContain('/register?invitation=');
	expect(await noSideScroll(bob)).toBeLessThanOrEqual(375);

	// Bob revokes one of the links.
	await bob.locator(`[data-testid="invitation-row"][data-email="${revoked}"]`).getByTestId('revoke-invitation').click();
	await expect(bob.locator(`[data-testid="invitation-row"][data-email="${revoked}"]`)).toHaveCount(0);

	// The newcomer registers through the link and lands on My enterprises with the invitation.
	const newcomer = await newPage(browser);
	await newcomer.goto(link);
	await expect(newcomer.getByTestId('register-invitation')).toBeVisible();
	await newcomer.getByTestId('register-name').fill('Newcomer');
	await newcomer.getByTestId('register-email').fill(email);
	await newcomer.getByTestId('register-password').fill('e2e-pass-123');
	await newcomer.getByTestId('register-submit').click();
	await newcomer.waitForURL('**/enterprises');
	await newcomer.getByTestId('invitation').filter({ hasText: 'Galaxy' }).getByTestId('accept-invitation').click();
	await expect(newcomer.getByTestId('my-enterprise').filter({ hasText: 'Galaxy' })).toBeVisible();

	// The other declines: no membership.
	await decliner.goto('/enterprises');
	await decliner.getByTestId('invitation').filter({ hasText: 'Galaxy' }).getByTestId('decline-invitation').click();
	await expect(decliner.getByTestId('invitation')).toHaveCount(0);
	await expect(decliner.getByTestId('my-enterprises-empty')).toBeVisible();

	await bob.reload();
	await expect(bob.locator(`[data-testid="member-row"][data-email="${email}"]`)).toBeVisible();
	await expect(bob.locator(`[data-testid="member-row"][data-email="${declined}"]`)).toHaveCount(0);
});
