import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, lt, sql } from 'drizzle-orm';
import { connect } from '../../src/lib/server/db/client';
import { ledgerEntries, usageRecords } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId, userWalletId, walletBalance } from '../../src/lib/server/ledger/wallets';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { authorizeUsage } from '../../src/lib/server/usage/authorize';
import { setModelPrice } from '../../src/lib/server/usage/models';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';

const t = useTestDatabase();
let seq = 0;
const nextId = (p = 'g') => `${p}-${process.pid}-${seq++}`;

let platform: SessionUser;
beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, USAGE_SETTLE_MODE: 'batch' });
	platform = await makeUser(t.db, { role: 'admin' });
});

/** Moves a wallet to exactly `target` credits with one adjustment entry. */
async function setBalance(walletId: number, target: number) {
	const delta = target - (await walletBalance(t.db, walletId));
	if (delta !== 0) await postEntry(t.db, { walletId, amount: delta, kind: 'adjustment', idempotencyKey: nextId('set') });
}

async function makeEnterprise(name: string) {
	const enterprise = await callerFor(t.db, platform).enterprises.create({ name, description: '' });
	return { id: enterprise.id, walletId: await enterpriseWalletId(t.db, enterprise.id) };
}

async function spend(userId: number, cost: number) {
	const [result] = await settleUsage(t.db, [{ requestId: nextId('use'), userId, model: 'workflow-step', cost }]);
	expect(result.status).toBe('settled');
	return result;
}

describe('the requirement doc example: A, B, C joined in that order', () => {
	it('pays from the first enterprise that covers all of the cost, else the user, and re-orders on leave/re-join', async () => {
		const user = await makeUser(t.db);
		const own = await userWalletId(t.db, user.id);
		const [A, B, C] = [await makeEnterprise('企业A'), await makeEnterprise('企业B'), await makeEnterprise('企业C')];
		const admin = callerFor(t.db, platform);
		for (const g of [A, B, C]) await admin.enterprises.addUser({ group_id: g.id, user_id: user.id });
		await setBalance(A.walletId, 1000);
		await setBalance(B.walletId, 500);
		await setBalance(C.walletId, 200);
		await setBalance(own, 100);

		const first = await spend(user.id, 300);
		expect(first).toMatchObject({ payer_wallet_id: A.walletId, enterprise_id: A.id, balance_after: 700 });
		const [record] = await t.db.select().from(usageRecords).where(eq(usageRecords.requestId, first.request_id));
		expect(record).toMatchObject({ walletId: A.walletId, enterpriseId: A.id, cost: 300, regularUsed: 300, subscriptionUsed: 0 });

		await setBalance(A.walletId, 250);
		expect(await spend(user.id, 300)).toMatchObject({ payer_wallet_id: B.walletId, enterprise_id: B.id, balance_after: 200 });

		await setBalance(B.walletId, 250);
		expect(await spend(user.id, 300)).toMatchObject({ payer_wallet_id: own, enterprise_id: null, balance_after: -200 });
		expect(await walletBalance(t.db, own)).toBe(-200);
		// Never split: the enterprises kept what they had.
		expect([await walletBalance(t.db, A.walletId), await walletBalance(t.db, B.walletId), await walletBalance(t.db, C.walletId)]).toEqual([250, 250, 200]);

		await setBalance(A.walletId, 1000);
		await setBalance(B.walletId, 500);
		await admin.enterprises.removeUser({ group_id: A.id, user_id: user.id });
		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: B.id });

		await admin.enterprises.addUser({ group_id: A.id, user_id: user.id });
		const order = await callerFor(t.db, user).enterprises.userEnterprises({ user_id: user.id });
		expect(order.map((g) => g.id)).toEqual([B.id, C.id, A.id]);
		await setBalance(B.walletId, 0);
		await setBalance(C.walletId, 500);
		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: C.id });
		await setBalance(C.walletId, 0);
		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: A.id });
		// The primary enterprise is now the earliest-joined active one: B.
		expect((await callerFor(t.db, user).enterprises.adminCredit()).group_id).toBe(B.id);

		expect(await verifyLedger(t.db)).toMatchObject({ drifts: [], orphanUsage: 0 });
	});
});

describe('member controls change the payer', () => {
	it('a monthly limit skips the enterprise once this event would pass it', async () => {
		const user = await makeUser(t.db);
		const [A, B] = [await makeEnterprise('Limited A'), await makeEnterprise('Fallback B')];
		const enterpriseAdmin = await makeUser(t.db);
		await callerFor(t.db, platform).enterprises.setAdmins({ enterprise_id: A.id, admin_emails: [enterpriseAdmin.email] });
		const admin = callerFor(t.db, platform);
		for (const g of [A, B]) await admin.enterprises.addUser({ group_id: g.id, user_id: user.id });
		await setBalance(A.walletId, 10_000);
		await setBalance(B.walletId, 10_000);
		await callerFor(t.db, enterpriseAdmin).enterprises.setLimit({ enterprise_id: A.id, user_id: user.id, monthly_limit: 500 });

		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: A.id });
		// 300 spent + 300 would pass 500.
		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: B.id });
		// 300 + 200 = 500 is still within the limit.
		expect(await spend(user.id, 200)).toMatchObject({ enterprise_id: A.id });
		expect(await spend(user.id, 1)).toMatchObject({ enterprise_id: B.id });

		// Within one batch the limit runs too.
		const batch = await settleUsage(t.db, [
			{ requestId: nextId(), userId: user.id, model: 'm', cost: 1 },
			{ requestId: nextId(), userId: user.id, model: 'm', cost: 1 }
		]);
		expect(batch.map((r) => r.enterprise_id)).toEqual([B.id, B.id]);

		const members = await callerFor(t.db, enterpriseAdmin).enterprises.members({ enterprise_id: A.id });
		expect(members.find((m) => m.user_id === user.id)).toMatchObject({ spent_this_month: 500, limit_left: 0, monthly_limit: 500 });
		const mine = await callerFor(t.db, user).enterprises.mine();
		expect(mine.find((g) => g.id === A.id)).toMatchObject({ spent_this_month: 500, limit_left: 0, can_pay: false });
		const report = await callerFor(t.db, enterpriseAdmin).enterprises.report({ enterprise_id: A.id });
		expect(report.rows.find((r) => r.user_id === user.id)).toMatchObject({ requests: 2, cost: 500 });

		await callerFor(t.db, enterpriseAdmin).enterprises.setLimit({ enterprise_id: A.id, user_id: user.id, monthly_limit: null });
		expect(await spend(user.id, 300)).toMatchObject({ enterprise_id: A.id });
	});

	it('spend from last month does not count against this month', async () => {
		const user = await makeUser(t.db);
		const A = await makeEnterprise('Monthly A');
		await callerFor(t.db, platform).enterprises.addUser({ group_id: A.id, user_id: user.id });
		await setBalance(A.walletId, 10_000);
		const now = new Date();
		const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1000);
		const [old] = await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: 'm', cost: 400, occurredAt: lastMonth }]);
		expect(old.enterprise_id).toBe(A.id);
		await callerFor(t.db, platform).enterprises.setLimit({ enterprise_id: A.id, user_id: user.id, monthly_limit: 500 });
		expect(await spend(user.id, 500)).toMatchObject({ enterprise_id: A.id });
		expect(await spend(user.id, 1)).toMatchObject({ enterprise_id: null });
	});

	it('suspending an enterprise skips it; resuming restores it; reordering changes the payer', async () => {
		const user = await makeUser(t.db);
		const [A, B] = [await makeEnterprise('Suspend A'), await makeEnterprise('Suspend B')];
		const admin = callerFor(t.db, platform);
		for (const g of [A, B]) await admin.enterprises.addUser({ group_id: g.id, user_id: user.id });
		await setBalance(A.walletId, 10_000);
		await setBalance(B.walletId, 10_000);
		const me = callerFor(t.db, user);

		expect(await spend(user.id, 10)).toMatchObject({ enterprise_id: A.id });
		await me.enterprises.setSuspended({ enterprise_id: A.id, suspended: true });
		expect(await spend(user.id, 10)).toMatchObject({ enterprise_id: B.id });
		await me.enterprises.setSuspended({ enterprise_id: B.id, suspended: true });
		expect(await spend(user.id, 10)).toMatchObject({ enterprise_id: null });
		await me.enterprises.setSuspended({ enterprise_id: A.id, suspended: false });
		await me.enterprises.setSuspended({ enterprise_id: B.id, suspended: false });
		expect(await spend(user.id, 10)).toMatchObject({ enterprise_id: A.id });

		await me.enterprises.reorder({ enterprise_ids: [B.id, A.id] });
		expect(await spend(user.id, 10)).toMatchObject({ enterprise_id: B.id });
		// An enterprise joined after reordering goes to the end.
		const C = await makeEnterprise('Suspend C');
		await admin.enterprises.addUser({ group_id: C.id, user_id: user.id });
		expect((await me.enterprises.mine()).map((g) => g.id)).toEqual([B.id, A.id, C.id]);
	});
});

describe('authorize uses the same chain', () => {
	it('a member in arrears may start a request their enterprise will pay, and is told which wallet pays', async () => {
		const code = nextId('model');
		await setModelPrice(t.db, { code, provider: 'test', inputPrice: 1_000_000, outputPrice: 1_000_000, effectiveFrom: new Date(Date.now() - 60_000) });
		const user = await makeUser(t.db);
		const own = await userWalletId(t.db, user.id);
		await spend(user.id, (await walletBalance(t.db, own)) + 5000);
		expect(await walletBalance(t.db, own)).toBe(-5000);
		overrideConfig({ CREDIT_LIMIT: 0 });
		const alone = await authorizeUsage(t.db, { userId: user.id, model: code, estimatedInputTokens: 100, maxOutputTokens: 100 });
		expect(alone).toMatchObject({ allowed: false, reason: 'in_arrears', payer: { enterprise_id: null } });
		const A = await makeEnterprise('Authorize A');
		await callerFor(t.db, platform).enterprises.addUser({ group_id: A.id, user_id: user.id });
		await setBalance(A.walletId, 1000);
		const backed = await authorizeUsage(t.db, { userId: user.id, model: code, estimatedInputTokens: 100, maxOutputTokens: 100 });
		expect(backed).toMatchObject({ allowed: true, payer: { wallet_id: A.walletId, enterprise_id: A.id }, estimated_cost: 200 });
	});
});

describe('one hot enterprise wallet under concurrency', () => {
	it('50 members settling 1,000 events at once never overdraw it; the rest fall to the next payer', async () => {
		const COST = 100;
		const hot = await makeEnterprise('Hot wallet');
		const next = await makeEnterprise('Next payer');
		await setBalance(hot.walletId, 500 * COST);
		await setBalance(next.walletId, 10_000_000);
		const members = await Promise.all(Array.from({ length: 50 }, () => makeUser(t.db)));
		const admin = callerFor(t.db, platform);
		for (const g of [hot, next]) for (const m of members) await admin.enterprises.addUser({ group_id: g.id, user_id: m.id });

		// Several connection pools stand in for several app instances, each with its own settlement queue.
		const instances = Array.from({ length: 4 }, () => connect(t.url, { max: 3 }));
		try {
			const events = Array.from({ length: 1000 }, (_, i) => ({ requestId: nextId('hot'), userId: members[i % 50].id, model: 'm', cost: COST }));
			const results = (await Promise.all(events.map((e, i) => settleUsage(instances[i % instances.length].db, [e])))).flat();
			expect(results.every((r) => r.status === 'settled')).toBe(true);
			const paidByHot = results.filter((r) => r.enterprise_id === hot.id).length;
			const paidByNext = results.filter((r) => r.enterprise_id === next.id).length;
			expect(paidByHot).toBe(500);
			expect(paidByNext).toBe(500);
		} finally {
			await Promise.all(instances.map((i) => i.close()));
		}
		expect(await walletBalance(t.db, hot.walletId)).toBe(0);
		const negative = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(ledgerEntries)
			.where(and(eq(ledgerEntries.walletId, hot.walletId), lt(ledgerEntries.balanceAfter, 0)));
		expect(negative[0].n).toBe(0);
		expect(await walletBalance(t.db, next.walletId)).toBe(10_000_000 - 500 * COST);
		const report = await admin.enterprises.report({ enterprise_id: hot.id });
		expect(report.rows.reduce((s, r) => s + r.cost, 0)).toBe(500 * COST);
		expect(report.rows.reduce((s, r) => s + r.requests, 0)).toBe(500);
		expect(await verifyLedger(t.db)).toMatchObject({ drifts: [], orphanUsage: 0 });
	});
});
