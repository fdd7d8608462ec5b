import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { logDestination } from '../../src/lib/server/log';
import type { Db } from '../../src/lib/server/db/client';
import { runExpiry, type ExpiryReport } from '../../src/lib/server/ledger/expiry';
import { issueGrant } from '../../src/lib/server/ledger/grants';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { userWalletId } from '../../src/lib/server/ledger/wallets';
import { settleBatchInTransaction, type PricedEvent } from '../../src/lib/server/usage/settle-batch';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { restCall } from '../helpers/money';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000, CREDIT_LIMIT: 0 }));

let seq = 0;
const key = (label: string) => `g-${process.pid}-${Date.now()}-${seq++}-${label}`;

function usageEvent(userId: number, model: string, cost: number): PricedEvent {
	return { requestId: key('u'), userId, apiKeyId: null, model, inputTokens: 0, outputTokens: 0, cost, occurredAt: new Date(), metadata: null, payloadHash: 'h' };
}

async function remaining(db: Db, grantId: number): Promise<number> {
	const [g] = await db.execute<{ remaining: string }>(sql`select remaining from credit_grants where id = ${grantId}`);
	return Number(g.remaining);
}

async function grant(db: Db, userId: number, amount: number, opts: { priority?: number; expiresAt?: Date | null; effectiveFrom?: Date } = {}) {
	const walletId = await userWalletId(db, userId);
	return db.transaction((tx) => issueGrant(tx, { walletId, source: 'admin_grant', amount, idempotencyKey: key('grant'), ...opts }));
}

async function clean() {
	const report = await verifyLedger(t.db);
	expect(report.drifts).toEqual([]);
	expect(report.violations).toEqual([]);
	expect(report.orphanUsage).toBe(0);
}

function expiryInOtherProcess(url: string, env: Record<string, string>): Promise<ExpiryReport & { job?: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/helpers/expiry-worker.ts')], {
			env: { ...process.env, DATABASE_URL: url, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`expiry worker exited ${code}: ${err}`))));
	});
}

describe('credit grants', () => {
	it('burn down by priority, then earliest expiry, then oldest, then the regular balance, which alone goes negative; usage records the split', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const soon = new Date(Date.now() + 3_600_000);
		const later = new Date(Date.now() + 7_200_000);
		const noExpiry = await grant(t.db, user.id, 100, { priority: 5 });
		const laterOne = await grant(t.db, user.id, 100, { priority: 5, expiresAt: later });
		const soonOne = await grant(t.db, user.id, 100, { priority: 5, expiresAt: soon });
		const first = await grant(t.db, user.id, 50, { priority: 1, expiresAt: later });
		const older = await grant(t.db, user.id, 10, { priority: 9 });
		const newer = await grant(t.db, user.id, 10, { priority: 9 });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000 + 370);

		const [a] = await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 120)]);
		expect(a).toMatchObject({ status: 'settled', subscriptionUsed: 120, balanceAfter: 1_250 });
		expect([await remaining(t.db, first.grantId), await remaining(t.db, soonOne.grantId), await remaining(t.db, laterOne.grantId)]).toEqual([0, 30, 100]);
		await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 200), usageEvent(user.id, model.code, 15)]);
		expect([await remaining(t.db, soonOne.grantId), await remaining(t.db, laterOne.grantId), await remaining(t.db, noExpiry.grantId)]).toEqual([0, 0, 15]);
		const [b] = await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 1_100)]);
		expect([await remaining(t.db, noExpiry.grantId), await remaining(t.db, older.grantId), await remaining(t.db, newer.grantId)]).toEqual([0, 0, 0]);
		expect(b).toMatchObject({ subscriptionUsed: 35, balanceAfter: 1_370 - 120 - 215 - 1_100 });
		const [rec] = await t.db.execute<{ subscription_used: string; regular_used: string }>(sql`
			select subscription_used, regular_used from usage_records where user_id = ${user.id} and cost = 1100`);
		expect(rec).toEqual({ subscription_used: '35', regular_used: '1065' });

		const wallet = await restCall(t.db, 'GET', '/token-usage/wallet', { id: user.id, role: 'user' } as never, null);
		expect(await wallet.json()).toMatchObject({ balance: -65, regular: -65, grants: [], held: 0, available: -65, order: ['regular'] });
		await clean();
	});

	it('the [credit_deduct] line logs the real subscription_used and regular_used', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		await grant(t.db, user.id, 70);
		overrideConfig({ LOG_SETTLEMENTS: true });
		const written: string[] = [];
		const spy = vi.spyOn(logDestination, 'write').mockImplementation((chunk: string) => {
			written.push(chunk);
			return true;
		});
		try {
			const requestId = key('log');
			await settleUsage(t.db, [{ requestId, userId: user.id, model: model.code, inputTokens: 0, outputTokens: 0, cost: 100 }]);
			const line = written.join('').split('\n').find((l) => l.includes(requestId));
			expect(line).toBeDefined();
			expect(JSON.parse(line!.replace('[credit_deduct] ', ''))).toMatchObject({ cost: 100, subscription_used: 70, regular_used: 30 });
		} finally {
			spy.mockRestore();
			overrideConfig({ LOG_SETTLEMENTS: false });
		}
	});

	it('a grant is never spent at or after its expiry, even before the job wrote it off; the job writes off exactly what is left at the boundary', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const expiresAt = new Date(Date.now() + 60_000);
		const g = await grant(t.db, user.id, 100, { expiresAt });
		const before = new Date(expiresAt.getTime() - 1);
		await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 30)], before);
		expect(await remaining(t.db, g.grantId)).toBe(70);
		expect(await runExpiry(t.db, before)).toMatchObject({ grants: 0 });

		const [atBoundary] = await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 20)], expiresAt);
		expect(atBoundary).toMatchObject({ subscriptionUsed: 0 });
		expect(await remaining(t.db, g.grantId)).toBe(70);
		const view = await (await restCall(t.db, 'GET', '/token-usage/wallet', { id: user.id, role: 'user' } as never, null)).json();
		expect(view).toMatchObject({ balance: 1_050, regular: 980 });

		// The job runs an hour late: it writes off the 70 once, the regular balance is untouched.
		const late = new Date(expiresAt.getTime() + 3_600_000);
		expect(await runExpiry(t.db, late)).toMatchObject({ grants: 1, credits: 70 });
		expect(await runExpiry(t.db, late)).toMatchObject({ grants: 0, credits: 0 });
		expect(await remaining(t.db, g.grantId)).toBe(0);
		expect(await balanceOfUser(t.db, user.id)).toBe(980);
		await clean();
	});

	it('writes off a grant even when the regular balance is in arrears', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const expiresAt = new Date(Date.now() + 60_000);
		await grant(t.db, user.id, 100, { expiresAt, priority: 50 });
		await settleBatchInTransaction(t.db, [usageEvent(user.id, model.code, 1_500)], expiresAt);
		expect(await balanceOfUser(t.db, user.id)).toBe(-400);
		expect(await runExpiry(t.db, expiresAt)).toMatchObject({ credits: 100 });
		expect(await balanceOfUser(t.db, user.id)).toBe(-500);
		await clean();
	});

	it('two app processes running the job at once write each expired grant off exactly once', async () => {
		const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.db)));
		const expiresAt = new Date(Date.now() - 1_000);
		const effectiveFrom = new Date(Date.now() - 60_000);
		const grants = [];
		for (const [i, user] of users.entries()) for (let j = 0; j < 5; j++) grants.push(await grant(t.db, user.id, 10 + i + j, { expiresAt, effectiveFrom }));
		const total = grants.reduce((s, g) => s + g.amount, 0);
		const now = new Date(expiresAt.getTime() + 1).toISOString();
		const [a, b] = await Promise.all([expiryInOtherProcess(t.url, { EXPIRY_NOW: now }), expiryInOtherProcess(t.url, { EXPIRY_NOW: now })]);
		expect(a.credits + b.credits).toBe(total);
		expect(a.grants + b.grants).toBe(grants.length);
		const [{ n }] = await t.db.execute<{ n: number }>(sql`
			select count(*)::int as n from ledger_entries where kind = 'expiry' and grant_id in (select jsonb_array_elements_text(${JSON.stringify(grants.map((g) => g.grantId))}::jsonb)::bigint)`);
		expect(n).toBe(grants.length);
		for (const user of users) expect(await balanceOfUser(t.db, user.id)).toBe(1_000);
		await clean();
	});

	it('the pg-boss worker runs the expiry job, in two processes at once', async () => {
		const user = await makeUser(t.db);
		const g = await grant(t.db, user.id, 100, { expiresAt: new Date(Date.now() + 500) });
		await new Promise((r) => setTimeout(r, 600));
		const results = await Promise.all([expiryInOtherProcess(t.url, { EXPIRY_QUEUE: '1' }), expiryInOtherProcess(t.url, { EXPIRY_QUEUE: '1' })]);
		expect(results.map((r) => r.job)).toEqual(['completed', 'completed']);
		expect(await remaining(t.db, g.grantId)).toBe(0);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000);
		await clean();
	}, 60_000);

	it('admins grant over REST; bad grants are refused and write nothing', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const as = { id: admin.id, role: 'admin' } as never;
		const body = { user_id: user.id, amount: 300, priority: 2, expires_at: new Date(Date.now() + 86_400_000).toISOString(), reason: 'sorry', idempotency_key: key('rest') };
		const ok = await restCall(t.db, 'POST', '/admin/credits/grant', as, null, body);
		expect(ok.status).toBe(200);
		const first = await ok.json();
		expect(first).toMatchObject({ amount: 300, balance_after: 1_300, duplicate: false });
		expect(await (await restCall(t.db, 'POST', '/admin/credits/grant', as, null, body)).json()).toMatchObject({ grant_id: first.grant_id, duplicate: true });
		for (const bad of [{ ...body, amount: 0 }, { ...body, amount: -5 }, { ...body, expires_at: '2000-01-01T00:00:00Z' }, { ...body, user_id: undefined }, { ...body, source: 'gift' }]) {
			expect((await restCall(t.db, 'POST', '/admin/credits/grant', as, null, { ...bad, idempotency_key: key('bad') })).status).toBe(400);
		}
		expect((await restCall(t.db, 'POST', '/admin/credits/grant', as, null, { ...body, user_id: 2_000_000_000, idempotency_key: key('x') })).status).toBe(404);
		expect((await restCall(t.db, 'POST', '/admin/credits/grant', { id: user.id, role: 'user' } as never, null, { ...body, idempotency_key: key('y') })).status).toBe(403);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_300);
		await clean();
	});
});
