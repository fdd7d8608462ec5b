import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from '../../src/lib/server/trpc/root';
import { firstRechargeBonusLog, enterpriseAdmins, enterprises, ledgerEntries, orders, paymentEvents } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createEnterpriseWallet, userWalletId, walletBalance } from '../../src/lib/server/ledger/wallets';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { createOrder, expireStaleOrders, REUSE_PENDING_MS } from '../../src/lib/server/recharge/orders';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { seedRecharge } from '../../src/lib/server/seed/recharge';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { callerFor, contextFor, makeUser } from '../helpers/callers';
import { paySandbox, SANDBOX_SECRET } from '../helpers/recharge';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase(20);
const CPU = 10_000;
const yuan = (n: number) => n * CPU;
const TIER_UNITS = [10, 50, 100, 200, 500, 1000];

beforeAll(() => overrideConfig({ PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET, CREDITS_PER_UNIT: CPU, CURRENCY: 'CNY', SEED_DEMO: false }));

async function order(user: SessionUser, amount: string) {
	const view = await callerFor(t.db, user).recharge.createOrder({ amount, method: 'sandbox' });
	const [row] = await t.db.select().from(orders).where(eq(orders.publicId, view.id));
	return row;
}

/** A second order for the same amount, made after the window in which an identical pending order is answered again. */
async function laterOrder(user: SessionUser, amount: string) {
	return createOrder(t.db, user, { amountCredits: yuan(Number(amount)), method: 'sandbox' }, new Date(Date.now() + REUSE_PENDING_MS + 60_000));
}

async function balanceOf(user: SessionUser) {
	return walletBalance(t.db, await userWalletId(t.db, user.id));
}

const tags = async (user: SessionUser) => (await callerFor(t.db, user).recharge.tiersEligibility()).tiers.map((x) => x.eligible);

describe('seed scenarios', () => {
	it('1: a new user sees all six tiers eligible with their bonuses', async () => {
		const user = await makeUser(t.db);
		const answer = await callerFor(t.db, user).recharge.tiersEligibility();
		expect(answer.enabled).toBe(true);
		expect(answer.tiers).toEqual([
			{ tier_amount: 10, eligible: true, bonus_amount: 2 },
			{ tier_amount: 50, eligible: true, bonus_amount: 10 },
			{ tier_amount: 100, eligible: true, bonus_amount: 20 },
			{ tier_amount: 200, eligible: true, bonus_amount: 40 },
			{ tier_amount: 500, eligible: true, bonus_amount: 100 },
			{ tier_amount: 1000, eligible: true, bonus_amount: 100 }
		]);
		expect((await callerFor(t.db, user).recharge.eligibility()).has_participated).toBe(false);
	});

	it('2: after paying ¥100 only that tag is gone and the log holds tier_amount 1,000,000', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const o = await order(user, '100');
		expect(await paySandbox(t.db, o)).toMatchObject({ result: 'credited', amount: yuan(100), bonus: yuan(20), late: false });
		expect(await tags(user)).toEqual([true, true, false, true, true, true]);
		const logs = await t.db.select().from(firstRechargeBonusLog).where(eq(firstRechargeBonusLog.userId, user.id));
		expect(logs).toHaveLength(1);
		expect(logs[0]).toMatchObject({ tierAmount: 1_000_000, rechargeAmount: 1_000_000, bonusAmount: 200_000, bonusRateBp: 2000, orderId: o.id });
		expect(await balanceOf(user)).toBe(before + yuan(120));
		const entries = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.reference, `order:${o.id}`));
		expect(entries.map((e) => [e.kind, e.amount, e.idempotencyKey]).sort()).toEqual([
			['bonus', 200_000, `order:${o.id}:bonus`],
			['recharge', 1_000_000, `order:${o.id}:amount`]
		]);
		const view = await callerFor(t.db, user).recharge.order({ id: o.publicId });
		expect(view).toMatchObject({ status: 'paid', bonus_credits: 200_000, amount: 100, balance_credits: before + yuan(120) });
		expect((await callerFor(t.db, user).recharge.eligibility()).has_participated).toBe(true);
	});

	it('3: a ¥99 custom recharge leaves every tag and writes no bonus log', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const o = await order(user, '99');
		expect(o.tierAmount).toBeNull();
		expect(await paySandbox(t.db, o)).toMatchObject({ result: 'credited', bonus: 0 });
		expect(await tags(user)).toEqual([true, true, true, true, true, true]);
		expect(await t.db.select().from(firstRechargeBonusLog).where(eq(firstRechargeBonusLog.userId, user.id))).toHaveLength(0);
		expect(await balanceOf(user)).toBe(before + yuan(99));
	});

	it('4: a legacy ¥100.50 log row blocks no tier, and ¥100.50 is no tier', async () => {
		const user = await makeUser(t.db);
		await t.db.insert(firstRechargeBonusLog).values({ userId: user.id, tierAmount: 1_005_000, rechargeAmount: 1_005_000, bonusAmount: 201_000, bonusRateBp: 2000 });
		expect(await tags(user)).toEqual([true, true, true, true, true, true]);
		const o = await order(user, '100.50');
		expect(o.tierAmount).toBeNull();
		const paid = await paySandbox(t.db, await order(user, '100'));
		expect(paid).toMatchObject({ result: 'credited', bonus: yuan(20) });
	});
});

describe('demo data', () => {
	it('Bob has paid the ¥100 tier through the real confirmation path', async () => {
		const bob = await makeUser(t.db);
		await seedRecharge(t.db, { 'bob@tally.local': bob.id });
		expect(await tags(bob)).toEqual([true, true, false, true, true, true]);
		const [paid] = await callerFor(t.db, bob).recharge.orders({ limit: 5 });
		expect(paid).toMatchObject({ status: 'paid', method: 'sandbox', amount: 100, bonus_credits: yuan(20) });
	});
});

describe('exactly once under concurrency', () => {
	it('the same callback delivered 10 times in parallel credits once', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const o = await order(user, '50');
		const outcomes = await Promise.all(Array.from({ length: 10 }, () => paySandbox(t.db, o)));
		expect(outcomes.filter((x) => x.result === 'credited')).toHaveLength(1);
		expect(outcomes.filter((x) => x.result === 'replay')).toHaveLength(9);
		expect(await balanceOf(user)).toBe(before + yuan(60));
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});

	it('two different ¥50 orders paid at the same moment grant one bonus', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const [a, b] = [await order(user, '50'), await laterOrder(user, '50')];
		const outcomes = await Promise.all([paySandbox(t.db, a), paySandbox(t.db, b)]);
		expect(outcomes.map((x) => (x.result === 'credited' ? x.bonus : -1)).sort()).toEqual([0, yuan(10)]);
		expect(await balanceOf(user)).toBe(before + yuan(110));
		const logs = await t.db.select().from(firstRechargeBonusLog).where(eq(firstRechargeBonusLog.userId, user.id));
		expect(logs).toHaveLength(1);
	});

	it('eligibility is decided at payment: of two pending ¥100 orders the first paid gets the bonus', async () => {
		const user = await makeUser(t.db);
		const [a, b] = [await order(user, '100'), await laterOrder(user, '100')];
		expect(await paySandbox(t.db, b)).toMatchObject({ bonus: yuan(20) });
		expect(await paySandbox(t.db, a)).toMatchObject({ result: 'credited', bonus: 0 });
	});
});

describe('refused callbacks credit nothing', () => {
	it('refuses a different amount or currency, logs it, and credits nothing', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const o = await order(user, '50');
		expect(await paySandbox(t.db, o, { amount: '5.00' })).toEqual({ result: 'refused', reason: 'amount_mismatch' });
		expect(await paySandbox(t.db, o, { currency: 'USD' })).toEqual({ result: 'refused', reason: 'currency_mismatch' });
		expect(await paySandbox(t.db, o, { order_id: 'R-unknown' })).toEqual({ result: 'refused', reason: 'unknown_order' });
		expect(await balanceOf(user)).toBe(before);
		const [row] = await t.db.select().from(orders).where(eq(orders.id, o.id));
		expect(row.status).toBe('pending');
		const events = await t.db.select().from(paymentEvents).where(eq(paymentEvents.orderPublicId, o.publicId));
		expect(events.map((e) => e.outcome).sort()).toEqual(['amount_mismatch', 'currency_mismatch']);
		expect(await tags(user)).toEqual([true, true, true, true, true, true]);
	});

	it('a "failed" notice marks the order failed and credits nothing', async () => {
		const user = await makeUser(t.db);
		const before = await balanceOf(user);
		const o = await order(user, '10');
		expect(await paySandbox(t.db, o, { status: 'failed' })).toMatchObject({ result: 'failed' });
		expect(await balanceOf(user)).toBe(before);
		expect((await callerFor(t.db, user).recharge.order({ id: o.publicId })).status).toBe('failed');
	});
});

describe('expiry', () => {
	it('expires stale orders; a late payment is still credited and flagged for admins', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const before = await balanceOf(user);
		const o = await order(user, '10');
		await t.db.update(orders).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(orders.id, o.id));
		expect(await expireStaleOrders(t.db)).toBeGreaterThanOrEqual(1);
		expect((await callerFor(t.db, user).recharge.order({ id: o.publicId })).status).toBe('expired');
		expect(await paySandbox(t.db, o)).toMatchObject({ result: 'credited', late: true, bonus: yuan(2) });
		expect(await balanceOf(user)).toBe(before + yuan(12));
		const late = await callerFor(t.db, admin).recharge.admin.lateOrders();
		expect(late.map((x) => x.id)).toContain(o.publicId);
	});
});

describe('refund', () => {
	it('reverses amount and bonus; the tier stays used unless the admin restores it', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const before = await balanceOf(user);
		const a = await order(user, '200');
		await paySandbox(t.db, a);
		expect(await balanceOf(user)).toBe(before + yuan(240));
		const refunded = await callerFor(t.db, admin).recharge.admin.refund({ id: a.publicId, restore_eligibility: false });
		expect(refunded.status).toBe('refunded');
		expect(await balanceOf(user)).toBe(before);
		expect((await tags(user))[3]).toBe(false);
		const refunds = await t.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.reference, `order:${a.id}`), eq(ledgerEntries.kind, 'refund')));
		expect(refunds.map((e) => e.amount).sort((x, y) => x - y)).toEqual([-yuan(200), -yuan(40)]);
		await expectCode(callerFor(t.db, admin).recharge.admin.refund({ id: a.publicId }), 'BAD_REQUEST', 'order_not_refundable');

		const b = await order(user, '500');
		await paySandbox(t.db, b);
		await callerFor(t.db, admin).recharge.admin.refund({ id: b.publicId, restore_eligibility: true });
		expect((await tags(user))[4]).toBe(true);
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});

	it('refuses a refund the user already spent, changing nothing', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const o = await order(user, '10');
		await paySandbox(t.db, o);
		const wallet = await userWalletId(t.db, user.id);
		const { postEntry } = await import('../../src/lib/server/ledger/post');
		await postEntry(t.db, { walletId: wallet, amount: -(await balanceOf(user)), kind: 'usage', idempotencyKey: `usage:spend-${user.id}` });
		await expectCode(callerFor(t.db, admin).recharge.admin.refund({ id: o.publicId }), 'BAD_REQUEST', 'insufficient_funds');
		expect((await callerFor(t.db, user).recharge.order({ id: o.publicId })).status).toBe('paid');
	});
});

describe('authorization and input', () => {
	it('a user cannot read or list another user’s order', async () => {
		const owner = await makeUser(t.db);
		const stranger = await makeUser(t.db);
		const o = await order(owner, '10');
		await expectCode(callerFor(t.db, stranger).recharge.order({ id: o.publicId }), 'NOT_FOUND', 'order_not_found');
		const listed = await callerFor(t.db, stranger).recharge.orders({ all: true, limit: 50 });
		expect(listed.map((x) => x.id)).not.toContain(o.publicId);
		await expectCode(callerFor(t.db, null).recharge.order({ id: o.publicId }), 'UNAUTHORIZED');
	});

	it('a non-admin cannot refund, edit settings or read payment events', async () => {
		const user = await makeUser(t.db);
		const o = await order(user, '10');
		await paySandbox(t.db, o);
		const caller = callerFor(t.db, user);
		await expectCode(caller.recharge.admin.refund({ id: o.publicId }), 'FORBIDDEN');
		await expectCode(caller.recharge.admin.updateSettings({ tiers: ['1'], bonus_rate_bp: 10_000, bonus_cap: '1000', enabled: true, custom_min: '1', custom_max: '10', order_ttl_minutes: 5 }), 'FORBIDDEN');
		await expectCode(caller.recharge.admin.paymentEvents({ limit: 10 }), 'FORBIDDEN');
		expect((await callerFor(t.db, user).recharge.order({ id: o.publicId })).status).toBe('paid');
	});

	it('only an admin of the enterprise may fund its wallet, and an enterprise top-up carries no bonus', async () => {
		const enterpriseAdmin = await makeUser(t.db);
		const outsider = await makeUser(t.db);
		const [enterprise] = await t.db.insert(enterprises).values({ name: `g-${Date.now()}` }).returning();
		const enterpriseWallet = await createEnterpriseWallet(t.db, enterprise.id);
		await t.db.insert(enterpriseAdmins).values({ enterpriseId: enterprise.id, userId: enterpriseAdmin.id });
		await expectCode(callerFor(t.db, outsider).recharge.createOrder({ amount: '100', method: 'sandbox', enterprise_id: enterprise.id }), 'FORBIDDEN', 'not_enterprise_admin');
		const view = await callerFor(t.db, enterpriseAdmin).recharge.createOrder({ amount: '100', method: 'sandbox', enterprise_id: enterprise.id });
		const [row] = await t.db.select().from(orders).where(eq(orders.publicId, view.id));
		expect(row.walletId).toBe(enterpriseWallet);
		expect(await paySandbox(t.db, row)).toMatchObject({ result: 'credited', bonus: 0 });
		expect(await walletBalance(t.db, enterpriseWallet)).toBe(yuan(100));
		expect((await tags(enterpriseAdmin))[2]).toBe(true);
	});

	it('rejects malformed amounts, out-of-range custom amounts and unavailable methods', async () => {
		const user = await makeUser(t.db);
		const caller = callerFor(t.db, user);
		await expectCode(caller.recharge.createOrder({ amount: '10.001', method: 'sandbox' }), 'BAD_REQUEST');
		await expectCode(caller.recharge.createOrder({ amount: '0', method: 'sandbox' }), 'BAD_REQUEST');
		await expectCode(caller.recharge.createOrder({ amount: '0.5', method: 'sandbox' }), 'BAD_REQUEST', 'amount_out_of_range');
		await expectCode(caller.recharge.createOrder({ amount: '50', method: 'stripe' }), 'BAD_REQUEST', 'method_unavailable');
		expect(await caller.recharge.orders({ limit: 50 })).toEqual([]);
	});

	it('admin settings are the one source: new tiers and rate apply to the API and the callback', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const o = await order(user, '30');
		expect(o.tierAmount).toBeNull();
		const saved = await callerFor(t.db, admin).recharge.admin.updateSettings({
			tiers: ['30', '10', '50', '100', '200', '500', '1000'],
			bonus_rate_bp: 1000,
			bonus_cap: '50',
			enabled: true,
			custom_min: '1',
			custom_max: '50000',
			order_ttl_minutes: 30
		});
		expect(saved.tiers).toEqual([10, 30, 50, 100, 200, 500, 1000]);
		const answer = await callerFor(t.db, user).recharge.tiersEligibility();
		expect(answer.tiers.find((x) => x.tier_amount === 30)).toEqual({ tier_amount: 30, eligible: true, bonus_amount: 3 });
		expect(answer.tiers.find((x) => x.tier_amount === 1000)?.bonus_amount).toBe(50);
		const o2 = await order(user, '30');
		expect(await paySandbox(t.db, o2)).toMatchObject({ bonus: yuan(3) });
		await expectCode(
			callerFor(t.db, admin).recharge.admin.updateSettings({ tiers: ['10'], bonus_rate_bp: 2000, bonus_cap: '100', enabled: true, custom_min: '100', custom_max: '10', order_ttl_minutes: 30 }),
			'BAD_REQUEST',
			'custom_range'
		);
		await callerFor(t.db, admin).recharge.admin.updateSettings({ tiers: ['10', '50', '100', '200', '500', '1000'], bonus_rate_bp: 2000, bonus_cap: '100', enabled: true, custom_min: '1', custom_max: '50000', order_ttl_minutes: 30 });
	});
});

describe('REST routes', () => {
	const rest = (req: Request, user: SessionUser) =>
		handleOpenApiRequest(req, () => contextFor(t.db, user));

	it('are in the OpenAPI document', () => {
		const doc = generateOpenApiDocument(appRouter, { title: 't', version: '1', baseUrl: '/api/v1' });
		for (const path of ['/first-recharge-bonus/eligibility/tiers', '/first-recharge-bonus/eligibility', '/recharge/orders', '/recharge/orders/{id}', '/admin/recharge/settings', '/admin/recharge/orders/{id}/refund']) {
			expect(doc.paths?.[path], path).toBeDefined();
		}
	});

	it('answer the JSON of requirement doc tier-first-recharge-bonus: tiers in currency units, orders created with a checkout URL', async () => {
		const user = await makeUser(t.db);
		const tiersRes = await rest(new Request('http://x/api/v1/first-recharge-bonus/eligibility/tiers'), user);
		expect(tiersRes.status).toBe(200);
		const body = await tiersRes.json();
		expect(body.enabled).toBe(true);
		expect(body.tiers.map((x: { tier_amount: number; eligible: boolean }) => [x.tier_amount, x.eligible])).toEqual(TIER_UNITS.map((u) => [u, true]));

		const created = await rest(new Request('http://x/api/v1/recharge/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 99.5, method: 'sandbox' }) }), user);
		expect(created.status).toBe(200);
		const order = await created.json();
		expect(order).toMatchObject({ amount: 99.5, amount_credits: 995_000, tier_amount: null, status: 'pending', method: 'sandbox' });
		expect(order.checkout_url).toMatch(new RegExp(`/recharge/sandbox/${order.id}$`));

		const bad = await rest(new Request('http://x/api/v1/recharge/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 10.005, method: 'sandbox' }) }), user);
		expect(bad.status).toBe(400);
		const listed = await rest(new Request('http://x/api/v1/recharge/orders?all=false&limit=10'), user);
		expect((await listed.json()).map((o: { id: string }) => o.id)).toEqual([order.id]);
		const stranger = await makeUser(t.db);
		expect((await rest(new Request(`http://x/api/v1/recharge/orders/${order.id}`), stranger)).status).toBe(404);
	});
});

describe('payment ids', () => {
	it('refuses a payment id that already paid another order', async () => {
		const user = await makeUser(t.db);
		const [a, b] = [await order(user, '10'), await laterOrder(user, '10')];
		expect(await paySandbox(t.db, a, { payment_id: 'shared-payment' })).toMatchObject({ result: 'credited' });
		const before = await balanceOf(user);
		expect(await paySandbox(t.db, b, { payment_id: 'shared-payment' })).toEqual({ result: 'refused', reason: 'other_payment' });
		expect(await balanceOf(user)).toBe(before);
	});
});
