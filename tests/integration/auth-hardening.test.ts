import { isRedirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ledgerEntries, loginAttempts, wallets } from '../../src/lib/server/db/schema';
import { translateError } from '../../src/lib/server/i18n';
import { actions as loginActions } from '../../src/routes/(auth)/login/+page.server';
import { actions as registerActions } from '../../src/routes/(auth)/register/+page.server';
import { POST as switchLocale } from '../../src/routes/locale/+server';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser, uniqueEmail } from '../helpers/callers';
import { requestEvent } from '../helpers/events';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase(20);

function formEvent(url: string, fields: Record<string, string>, ip = '203.0.113.1') {
	const request = new Request(url, { method: 'POST', body: new URLSearchParams(fields) });
	return requestEvent(request, { ip, locals: { db: t.db, user: null, sessionId: null, apiKey: null, locale: 'en', requestId: 'test' } });
}

async function redirectedTo(run: () => unknown): Promise<string> {
	try {
		await run();
	} catch (err) {
		if (isRedirect(err)) return err.location;
		throw err;
	}
	throw new Error('no redirect');
}

const evilTargets = ['/%5Cevil.example', '/%09/evil.example', '//evil.example', '/.//evil.example', 'https://evil.example'];

describe('redirect targets after sign-in and the language switch', () => {
	it('the language switch returns only to a path of this app', async () => {
		for (const target of evilTargets) {
			const back = await redirectedTo(() => switchLocale(formEvent('http://127.0.0.1/locale', { locale: 'en', redirectTo: decodeURIComponent(target) })));
			expect(back, target).toBe('/');
		}
		const fine = await redirectedTo(() => switchLocale(formEvent('http://127.0.0.1/locale', { locale: 'en', redirectTo: '/usage?from=2026-01-01' })));
		expect(fine).toBe('/usage?from=2026-01-01');
	});

	it('sign-in continues only to a path of this app', async () => {
		const user = await makeUser(t.db);
		for (const target of evilTargets) {
			const url = `http://127.0.0.1/login?redirectTo=${target.replace('//', '%2F%2F')}`;
			const to = await redirectedTo(() => loginActions.default(formEvent(url, { email: user.email, password: 'test-pass-123' }, '203.0.113.50')));
			expect(to, target).toBe('/dashboard');
		}
		const to = await redirectedTo(() =>
			loginActions.default(formEvent(`http://127.0.0.1/login?redirectTo=${encodeURIComponent('/keys?tab=new')}`, { email: user.email, password: 'test-pass-123' }))
		);
		expect(to).toBe('/keys?tab=new');
	});
});

describe('login throttle under parallel attempts', () => {
	it('40 parallel wrong passwords: at most 5 are checked, the rest are refused as throttled', async () => {
		const user = await makeUser(t.db);
		const results = await Promise.allSettled(
			Array.from({ length: 40 }, (_, i) => callerFor(t.db, null, { ip: `198.51.100.${i}` }).auth.login({ email: user.email, password: 'wrong-pass-1' }))
		);
		const codes = results.map((r) => (r.status === 'rejected' && r.reason instanceof TRPCError ? r.reason.code : 'other'));
		const checked = codes.filter((c) => c === 'UNAUTHORIZED').length;
		expect(codes.filter((c) => c === 'other')).toEqual([]);
		expect(checked).toBeGreaterThan(0);
		expect(checked).toBeLessThanOrEqual(5);
		expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(40 - checked);
		const recorded = await t.db.select().from(loginAttempts).where(eq(loginAttempts.subject, `email:${user.email}`));
		expect(recorded.length).toBeLessThanOrEqual(5);
		// Even the right password now waits for the window.
		await expectCode(callerFor(t.db, null, { ip: '198.51.100.200' }).auth.login({ email: user.email, password: 'test-pass-123' }), 'TOO_MANY_REQUESTS');
	});

	it('a successful sign-in leaves no failure behind for the account or the address', async () => {
		const user = await makeUser(t.db);
		await callerFor(t.db, null, { ip: '198.51.100.250' }).auth.login({ email: user.email, password: 'test-pass-123' });
		const left = await t.db.select().from(loginAttempts).where(like(loginAttempts.subject, '%198.51.100.250'));
		expect(left).toEqual([]);
	});
});

describe('registration throttle per address', () => {
	it('20 parallel sign-ups from one address create at most 5 accounts; another address is unaffected', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, () => callerFor(t.db, null, { ip: '192.0.2.44' }).auth.register({ email: uniqueEmail('farm'), password: 'abc12345', name: 'F' }))
		);
		const created = results.filter((r) => r.status === 'fulfilled').length;
		const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof TRPCError && r.reason.code === 'TOO_MANY_REQUESTS');
		expect(created).toBe(5);
		expect(refused).toHaveLength(15);
		expect((refused[0] as PromiseRejectedResult).reason.message).toMatch(/^too_many_registrations:\d+$/);
		const other = await callerFor(t.db, null, { ip: '192.0.2.45' }).auth.register({ email: uniqueEmail('ok'), password: 'abc12345', name: 'O' });
		expect(other.user.id).toBeGreaterThan(0);
	});

	it('the register form shows the refusal in both languages', async () => {
		for (let i = 0; i < 5; i++) {
			await callerFor(t.db, null, { ip: '192.0.2.77' }).auth.register({ email: uniqueEmail('form'), password: 'abc12345', name: 'F' });
		}
		const answer = (await registerActions.default(
			formEvent('http://127.0.0.1/register', { email: uniqueEmail('form'), password: 'abc12345', name: 'F' }, '192.0.2.77')
		)) as { status: number; data: { message: string } };
		expect(answer.status).toBe(429);
		expect(answer.data.message).toMatch(/^too_many_registrations:\d+$/);
		expect(translateError('en', answer.data.message)).toMatch(/^Too many accounts were created from your network; try again in \d+ min$/);
		expect(translateError('zh-CN', answer.data.message)).toMatch(/^.*注册.*\d+ 分钟.*$/);
	});
});

describe('welcome grant setting', () => {
	async function welcomeEntries(userId: number) {
		const [wallet] = await t.db.select().from(wallets).where(eq(wallets.userId, userId));
		return t.db
			.select({ amount: ledgerEntries.amount, key: ledgerEntries.idempotencyKey })
			.from(ledgerEntries)
			.where(and(eq(ledgerEntries.walletId, wallet.id), eq(ledgerEntries.kind, 'welcome')));
	}

	it('defaults to WELCOME_CREDITS, can be lowered or turned off by an admin, and is refused to others', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const before = await callerFor(t.db, admin).admin.registrationSettings();
		expect(before).toEqual({ welcome_credits: 1_000_000, registrations_per_ip_per_hour: 5 });

		const someone = await makeUser(t.db);
		await expectCode(callerFor(t.db, someone).admin.updateRegistrationSettings({ welcome: '0', registrations_per_ip_per_hour: 5 }), 'FORBIDDEN');

		await callerFor(t.db, admin).admin.updateRegistrationSettings({ welcome: '5', registrations_per_ip_per_hour: 5 });
		const lowered = await callerFor(t.db, null, { ip: '192.0.2.90' }).auth.register({ email: uniqueEmail('low'), password: 'abc12345', name: 'L' });
		expect(await welcomeEntries(lowered.user.id)).toEqual([{ amount: 50_000, key: `welcome:${lowered.user.id}` }]);

		const off = await callerFor(t.db, admin).admin.updateRegistrationSettings({ welcome: '0', registrations_per_ip_per_hour: 5 });
		expect(off.welcome_credits).toBe(0);
		const none = await callerFor(t.db, null, { ip: '192.0.2.91' }).auth.register({ email: uniqueEmail('none'), password: 'abc12345', name: 'N' });
		expect(await welcomeEntries(none.user.id)).toEqual([]);

		await expectCode(callerFor(t.db, admin).admin.updateRegistrationSettings({ welcome: '-1', registrations_per_ip_per_hour: 5 }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, admin).admin.updateRegistrationSettings({ welcome: '1', registrations_per_ip_per_hour: 0 }), 'BAD_REQUEST');
		expect((await callerFor(t.db, admin).admin.registrationSettings()).welcome_credits).toBe(0);
	});
});
