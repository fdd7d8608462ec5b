import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { startJobs, type JobQueue } from '../../src/lib/server/jobs/queue';
import { adjustWallet } from '../../src/lib/server/ledger/adjust';
import { userWalletId } from '../../src/lib/server/ledger/wallets';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { resetEmailTransport, attemptDelivery } from '../../src/lib/server/alerts/deliver';
import { verifyWebhook } from '../../src/lib/server/alerts/signature';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { smtpSink, webhookReceiver } from '../helpers/alert-sinks';
import { expectCode } from '../helpers/expect-code';
import { translateError } from '../../src/lib/server/i18n';

const t = useTestDatabase();
let jobs: JobQueue;
let hook: Awaited<ReturnType<typeof webhookReceiver>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;
let rid = 0;
const nextId = () => `alert-${process.pid}-${rid++}`;

beforeAll(async () => {
	hook = await webhookReceiver();
	smtp = await smtpSink();
	overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000, SMTP_URL: smtp.url });
	resetEmailTransport();
	jobs = await startJobs({ db: t.db, sql: t.sql, close: async () => {} }, { schedule: '0 0 1 1 *', pollingIntervalSeconds: 0.5, alertRetryDelaySeconds: 1 });
});

afterAll(async () => {
	await jobs?.stop();
	await hook?.close();
	await smtp?.close();
	overrideConfig({ SMTP_URL: undefined });
	resetEmailTransport();
});

async function until<T>(what: () => Promise<T>, done: (v: T) => boolean, seconds = 60): Promise<T> {
	for (let i = 0; ; i++) {
		const v = await what();
		if (done(v) || i >= seconds * 4) return v;
		await new Promise((r) => setTimeout(r, 250));
	}
}

const deliveriesOf = (userId: number) =>
	t.db.execute<{ id: string; channel: string; status: string; attempts: number }>(
		sql`select id, channel, status, attempts from alert_deliveries where user_id = ${userId} order by id`
	);
const alertsOf = (walletId: number) =>
	t.db.execute<{ kind: string; balance: string; threshold: string }>(sql`select kind, balance, threshold from alerts where wallet_id = ${walletId} order by id`);

describe('low-balance alerts', { timeout: 120_000 }, () => {
	it('1,000 usage events crossing the threshold once raise one alert, delivered once by webhook, email and in the app', async () => {
		const user = await makeUser(t.db);
		const caller = callerFor(t.db, user);
		const model = await makeModel(t.db);
		const hookUrl = `${hook.url}?user=${user.id}`;
		const { new_secret } = await caller.alerts.updateSettings({ threshold: 700_000, webhookUrl: hookUrl, emailEnabled: true });
		expect(new_secret).toMatch(/^whsec_/);
		// 1,000 events of 500 credits each, reported by 50 clients at once: 1,000,000 → 500,000.
		const events = Array.from({ length: 1000 }, () => ({ requestId: nextId(), userId: user.id, model: model.code, cost: 500 }));
		const chunks = Array.from({ length: 50 }, (_, i) => events.slice(i * 20, i * 20 + 20));
		const results = (await Promise.all(chunks.map((c) => Promise.all(c.map((e) => settleUsage(t.db, [e])))))).flat(2);
		expect(results.filter((r) => r.status === 'settled')).toHaveLength(1000);
		expect(await balanceOfUser(t.db, user.id)).toBe(500_000);

		const walletId = await userWalletId(t.db, user.id);
		expect((await alertsOf(walletId)).map((a) => [a.kind, Number(a.threshold)])).toEqual([['low_balance', 700_000]]);
		const delivered = await until(() => deliveriesOf(user.id), (d) => d.length === 2 && d.every((x) => x.status === 'delivered'));
		expect(delivered.map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([
			['email', 'delivered', 1],
			['webhook', 'delivered', 1]
		]);
		const calls = hook.received.filter((r) => r.headers['host'] && JSON.parse(r.body).wallet.user_id === user.id);
		expect(calls).toHaveLength(1);
		const body = JSON.parse(calls[0].body);
		expect(body).toMatchObject({ type: 'low_balance', threshold_credits: 700_000, wallet: { owner: 'user', user_id: user.id } });
		expect(body.balance_credits).toBeLessThan(700_000);
		expect(smtp.messages.filter((m) => m.to.some((to) => to.includes(user.email)))).toHaveLength(1);
		const notices = await caller.alerts.notices();
		expect(notices.map((n) => n.kind)).toEqual(['low_balance']);

		// The webhook's signature verifies with the secret shown once, as docs/alerts.md describes.
		const header = String(calls[0].headers['tally-signature']);
		expect(verifyWebhook(new_secret!, calls[0].body, header)).toBe(true);
		const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
		expect(createHmac('sha256', new_secret!).update(`${ts}.${calls[0].body}`).digest('hex')).toBe(v1);
		expect(verifyWebhook('whsec_wrong', calls[0].body, header)).toBe(false);
		expect(verifyWebhook(new_secret!, calls[0].body.replace('low_balance', 'arrears'), header)).toBe(false);

		// Dismissed, the notice is gone; back above the line and down again is a second alert.
		await caller.alerts.dismiss({ id: notices[0].id });
		expect(await caller.alerts.notices()).toEqual([]);
		const admin = await makeUser(t.db, { role: 'admin' });
		await adjustWallet(t.db, { userId: user.id, amount: 300_000, reason: 'top up', idempotencyKey: nextId(), actorUserId: admin.id });
		await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, cost: 200_000 }]);
		expect((await alertsOf(walletId)).map((a) => a.kind)).toEqual(['low_balance', 'low_balance']);
	});

	it('any path that moves the balance raises it: an admin deduction crossing the line, and arrears once', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		await callerFor(t.db, user).alerts.updateSettings({ threshold: 500_000, webhookUrl: null, emailEnabled: false });
		await Promise.all(
			Array.from({ length: 10 }, () => adjustWallet(t.db, { userId: user.id, amount: -60_000, reason: 'x', idempotencyKey: nextId(), actorUserId: admin.id }))
		);
		const walletId = await userWalletId(t.db, user.id);
		expect((await alertsOf(walletId)).map((a) => a.kind)).toEqual(['low_balance']);
		const model = await makeModel(t.db);
		await Promise.all(Array.from({ length: 20 }, () => settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, cost: 50_000 }])));
		expect(await balanceOfUser(t.db, user.id)).toBe(400_000 - 1_000_000);
		expect((await alertsOf(walletId)).map((a) => a.kind)).toEqual(['low_balance', 'arrears']);
		expect(await deliveriesOf(user.id)).toEqual([]);
	});

	it('a failing webhook is retried on the job queue and every attempt is recorded', async () => {
		const user = await makeUser(t.db);
		await callerFor(t.db, user).alerts.updateSettings({ threshold: 900_000, webhookUrl: `${hook.url}?retry=${user.id}`, emailEnabled: false });
		hook.answers.push(500, 503);
		const model = await makeModel(t.db);
		await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, cost: 200_000 }]);
		const [d] = await until(() => deliveriesOf(user.id), (rows) => rows[0]?.status === 'delivered');
		expect([d.status, d.attempts]).toEqual(['delivered', 3]);
		const attempts = await t.db.execute<{ attempt: number; ok: boolean; status_code: number; error: string | null }>(
			sql`select attempt, ok, status_code, error from alert_delivery_attempts where delivery_id = ${d.id} order by attempt`
		);
		expect(attempts.map((a) => [a.attempt, a.ok, a.status_code, a.error])).toEqual([
			[1, false, 500, 'HTTP 500'],
			[2, false, 503, 'HTTP 503'],
			[3, true, 200, null]
		]);
		const seen = await callerFor(t.db, user).alerts.deliveries();
		expect(seen.map((s) => [s.channel, s.status, s.attempts])).toEqual([['webhook', 'delivered', 3]]);
	});

	it('the last attempt that fails marks the delivery failed, and a finished delivery is never sent again', async () => {
		const user = await makeUser(t.db);
		// A port nothing listens on: the connection is refused.
		await callerFor(t.db, user).alerts.updateSettings({ threshold: 900_000, webhookUrl: 'http://127.0.0.1:9/none', emailEnabled: false });
		await jobs.stop();
		try {
			const model = await makeModel(t.db);
			await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, cost: 200_000 }]);
			const [alert] = await t.db.execute<{ id: string }>(sql`select a.id from alerts a join wallets w on w.id = a.wallet_id where w.user_id = ${user.id}`);
			await t.db.execute(sql`insert into alert_deliveries (alert_id, user_id, channel, target) values (${alert.id}, ${user.id}, 'webhook', 'http://127.0.0.1:9/none')`);
			const [d] = await deliveriesOf(user.id);
			await expect(attemptDelivery(t.sql, Number(d.id), false)).rejects.toThrow(/retried/);
			expect(await attemptDelivery(t.sql, Number(d.id), true)).toBe('failed');
			expect(await attemptDelivery(t.sql, Number(d.id), true)).toBe('done');
			const [after] = await deliveriesOf(user.id);
			expect([after.status, after.attempts]).toEqual(['failed', 2]);
		} finally {
			jobs = await startJobs({ db: t.db, sql: t.sql, close: async () => {} }, { schedule: '0 0 1 1 *', pollingIntervalSeconds: 0.5, alertRetryDelaySeconds: 1 });
		}
	});

	it('an enterprise wallet alerts its admins, not its members; admins set its threshold', async () => {
		const admin = await makeUser(t.db);
		const member = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Alerts Co', description: '', adminUserIds: [admin.id] });
		await addMember(t.db, enterprise.id, member.id, null);
		const platform = await makeUser(t.db, { role: 'admin' });
		await adjustWallet(t.db, { enterpriseId: enterprise.id, amount: 100_000, reason: 'fund', idempotencyKey: nextId(), actorUserId: platform.id });
		await expectCode(callerFor(t.db, member).alerts.setEnterpriseThreshold({ enterpriseId: enterprise.id, threshold: 50_000 }), 'FORBIDDEN');
		expect(await callerFor(t.db, admin).alerts.setEnterpriseThreshold({ enterpriseId: enterprise.id, threshold: 50_000 })).toEqual({ threshold: 50_000, threshold_set: true });
		const model = await makeModel(t.db);
		for (let i = 0; i < 10; i++) await settleUsage(t.db, [{ requestId: nextId(), userId: member.id, model: model.code, cost: 9_950 }]);
		const notices = await callerFor(t.db, admin).alerts.notices();
		expect(notices.map((n) => [n.kind, n.enterprise_name])).toEqual([
			['enterprise_empty', 'Alerts Co'],
			['low_balance', 'Alerts Co']
		]);
		expect((await callerFor(t.db, member).alerts.notices()).filter((n) => n.enterprise_id === enterprise.id)).toEqual([]);
	});
});

describe('webhook addresses (ALERT_WEBHOOK_ALLOW_PRIVATE off)', { timeout: 120_000 }, () => {
	const withPrivateRefused = async (work: () => Promise<void>) => {
		overrideConfig({ ALERT_WEBHOOK_ALLOW_PRIVATE: false });
		try {
			await work();
		} finally {
			overrideConfig({ ALERT_WEBHOOK_ALLOW_PRIVATE: true });
		}
	};

	it('saving a URL that leads to a loopback, private, link-local, CGNAT, ULA or unspecified address is a 400 that changes nothing', async () => {
		const user = await makeUser(t.db);
		const caller = callerFor(t.db, user).alerts;
		await withPrivateRefused(async () => {
			const refused = [
				'http://127.0.0.1:9/hook',
				'http://localhost/hook',
				'http://169.254.169.254/latest/meta-data/',
				'http://10.1.2.3/',
				'http://172.16.0.9/',
				'http://192.168.1.1/',
				'http://100.64.0.1/',
				'http://0.0.0.0/',
				'http://2130706433/',
				'http://[::1]/',
				'http://[::]/',
				'http://[fd12:3456::1]/',
				'http://[fe80::1]/',
				'http://[::ffff:127.0.0.1]/'
			];
			for (const url of refused) {
				await expectCode(caller.updateSettings({ threshold: 500_000, webhookUrl: url, emailEnabled: false }), 'BAD_REQUEST', 'webhook_address_private');
			}
			await expectCode(caller.updateSettings({ threshold: 500_000, webhookUrl: 'ftp://93.184.216.34/hook', emailEnabled: false }), 'BAD_REQUEST');
			expect((await caller.settings()).webhook_url).toBeNull();
			expect((await caller.settings()).threshold_set).toBe(false);
			await caller.updateSettings({ threshold: 500_000, webhookUrl: 'https://93.184.216.34/hook', emailEnabled: false });
			expect((await caller.settings()).webhook_url).toBe('https://93.184.216.34/hook');
		});
		for (const locale of ['zh-CN', 'en'] as const) {
			for (const code of ['webhook_address_private', 'webhook_host_unknown']) expect(translateError(locale, code)).not.toBe(code);
		}
	});

	it('a delivery whose host is (or resolves to) a private address is refused once, recorded, and not retried', async () => {
		await jobs.stop();
		try {
			const port = new URL(hook.url).port;
			for (const target of [`http://127.0.0.1:${port}/hook?refused=1`, `http://localhost:${port}/hook?refused=2`]) {
				const user = await makeUser(t.db);
				await callerFor(t.db, user).alerts.updateSettings({ threshold: 900_000, webhookUrl: target, emailEnabled: false });
				const model = await makeModel(t.db);
				await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, cost: 200_000 }]);
				const [alert] = await t.db.execute<{ id: string }>(sql`select a.id from alerts a join wallets w on w.id = a.wallet_id where w.user_id = ${user.id}`);
				await t.db.execute(sql`insert into alert_deliveries (alert_id, user_id, channel, target) values (${alert.id}, ${user.id}, 'webhook', ${target})`);
				const [d] = await deliveriesOf(user.id);
				const before = hook.received.length;
				await withPrivateRefused(async () => {
					expect(await attemptDelivery(t.sql, Number(d.id), false)).toBe('failed');
					expect(await attemptDelivery(t.sql, Number(d.id), false)).toBe('done');
				});
				expect(hook.received.length).toBe(before);
				const [after] = await deliveriesOf(user.id);
				expect([after.status, after.attempts]).toEqual(['failed', 1]);
				const attempts = await t.db.execute<{ ok: boolean; error: string }>(sql`select ok, error from alert_delivery_attempts where delivery_id = ${d.id}`);
				expect(attempts.map((a) => [a.ok, a.error])).toEqual([[false, 'webhook_address_private']]);
			}
		} finally {
			jobs = await startJobs({ db: t.db, sql: t.sql, close: async () => {} }, { schedule: '0 0 1 1 *', pollingIntervalSeconds: 0.5, alertRetryDelaySeconds: 1 });
		}
	});
});
