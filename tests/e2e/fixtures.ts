import { test as base, chromium, expect, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './browser';

export const demo = {
	admin: { email: 'admin@tally.local', password: 'tally-admin-1' },
	alice: { email: 'alice@tally.local', password: 'tally-demo-1' },
	bob: { email: 'bob@tally.local', password: 'tally-demo-1' },
	carol: { email: 'carol@tally.local', password: 'tally-demo-1' }
};

let seq = 0;
export function freshEmail(prefix = 'e2e'): string {
	return `${prefix}-${Date.now()}-${seq++}@example.com`;
}

/** Playwright's test with the machine's Chromium (no downloaded browser). */
export const test = base.extend<object, { workerBrowser: Browser }>({
	workerBrowser: [
		async ({}, use) => {
			const browser = await chromium.launch({ executablePath: await chromiumPath(), args: chromiumArgs });
			await use(browser);
			await browser.close();
		},
		{ scope: 'worker' }
	],
	browser: async ({ workerBrowser }, use) => use(workerBrowser)
});

export { expect };

export async function signIn(page: Page, who: { email: string; password: string }) {
	await page.goto('/login');
	await page.getByTestId('login-email').fill(who.email);
	await page.getByTestId('login-password').fill(who.password);
	await page.getByTestId('login-submit').click();
	await page.waitForURL('**/dashboard');
}

export async function register(page: Page, email: string, password = 'e2e-pass-123', name = 'E2E User') {
	await page.goto('/register');
	await page.getByTestId('register-name').fill(name);
	await page.getByTestId('register-email').fill(email);
	await page.getByTestId('register-password').fill(password);
	await page.getByTestId('register-submit').click();
	await page.waitForURL('**/dashboard');
}
