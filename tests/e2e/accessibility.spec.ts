import { createRequire } from 'node:module';
import { test, expect, signIn, demo } from './fixtures';
import type { Browser, Page } from '@playwright/test';

// @axe-core/playwright needs Node 22; axe-core itself is injected into the page.
const axeSource: string = createRequire(import.meta.url)('axe-core').source;

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
	await page.addScriptTag({ content: axeSource });
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
		return (await axe.run(document, { resultTypes: ['violations'] })).violations;
	});
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

async function session(browser: Browser, width: number, who?: { email: string; password: string }) {
	// CSP (nonces) would refuse the injected axe script; the pages are otherwise unchanged.
	const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'zh-CN', viewport: { width, height: 900 }, bypassCSP: true });
	const page = await context.newPage();
	if (who) await signIn(page, who);
	return page;
}

const anonymous = ['/login', '/register', '/api/docs'];
const user = ['/dashboard', '/dashboard?days=14', '/recharge', '/usage', '/usage/wallet', '/keys', '/enterprises', '/account'];
const enterpriseAdmin = ['/enterprises'];
const admin = ['/admin', '/admin/users', '/admin/models', '/admin/recharge', '/admin/usage', '/admin/enterprises'];

for (const width of [1280, 375]) {
	test(`axe finds no serious or critical problem on ${anonymous.length + user.length + enterpriseAdmin.length + admin.length + 3} pages at ${width} px`, async ({ browser }) => {
		test.setTimeout(240_000);
		const found: Record<string, string[]> = {};
		const check = async (page: Page, path: string) => {
			await page.goto(path);
			await page.waitForLoadState('networkidle');
			const problems = await seriousViolations(page);
			if (problems.length) found[path] = problems;
		};
		const anon = await session(browser, width);
		for (const path of anonymous) await check(anon, path);

		const alice = await session(browser, width, demo.alice);
		for (const path of user) await check(alice, path);
		const carol = await session(browser, width, demo.carol); // in arrears: the red card
		await check(carol, '/dashboard');

		const bob = await session(browser, width, demo.bob);
		await bob.goto('/enterprises');
		const manage = bob.getByTestId('manage-enterprise').first();
		const enterprise = (await manage.getAttribute('href')) ?? '/enterprises';
		await check(bob, enterprise);
		await check(bob, `${enterprise}?q=alice`);

		const root = await session(browser, width, demo.admin);
		for (const path of admin) await check(root, path);
		await root.goto('/admin/users');
		await check(root, (await root.locator('[data-testid="user-row"] a').first().getAttribute('href'))!);

		expect(found).toEqual({});
	});
}
