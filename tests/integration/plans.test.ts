import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import type { Db } from '../../src/lib/server/db/client';
import { orders, subscriptions } from '../../src/lib/server/db/schema';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { userWalletId } from '../../src/lib/server/ledger/wallets';
import { createPlan } from '../../src/lib/server/plans/catalog';
import { runPlanResets } from '../../src/lib/server/plans/periods';
import { settleBatchInTransaction, type PricedEvent } from '../../src/lib/server/usage/settle-batch';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { setModelPrice } from '../../src/lib/server/usage/models';
import type { ModelPrice } from '../../src/lib/server/usage/price';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { paySandbox, SANDBOX_SECRET } from '../helpers/recharge';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';
import { moneyRows } from '../helpers/money';

const t = useTestDatabase(20);
beforeAll(() =>
	overrideConfig({ PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET, CREDITS_PER_UNIT: 10_000, CURRENCY: 'CNY', SEED_DEMO: false, LOG_SETTLEMENTS: false, WELCOME_CREDITS: 0, BILLING_TIMEZONE: 'Asia/Shanghai' })
);

let seq = 0;
const rid = (label: string) => `plans-${process.pid}-${Date.now()}-${seq++}-${label}`;

/** 1 credit per input or output token (1,000,000 per 1M) makes the arithmetic readable. */
const FLAT: ModelPrice = { inputPrice: 1_000_000, outputPrice: 1_000_000, imagePrice: null, minCharge: 0 };

function tokenEvent(userId: number, model: string, input: number, output: number, at: Date): PricedEvent {
	return { requestId: rid('e'), userId, apiKeyId: null, model, inputTokens: input, outputTokens: output, images: 0, price: FLAT, cost: input + output, occurredAt: at, metadata: null, payloadHash: 'h' };
}

async function clean() {
	const report = await verifyLedger(t.db);
	expect(report.drifts).toEqual([]);
	expect(report.violations).toEqual([]);
	expect(report.orphanUsage).toBe(0);
}

async function tokensLeft(db: Db, userId: number, at: Date): Promise<number> {
	const walletId = await userWalletId(db, userId);
	const [r] = await db.execute<{ n: string }>(sql`
		select coalesce(sum(remaining), 0) as n from credit_grants where wallet_id = ${walletId} and unit = 'tokens'
			and effective_from <= ${at.toISOString()} and (expires_at is null or expires_at > ${at.toISOString()})`);
	return Number(r.n);
}

async function periodsOf(db: Db, subscriptionId: number) {
	const rows = await db.execute<{ period_start: string; period_end: string }>(sql`
		select period_start, period_end from subscription_periods where subscription_id = ${subscriptionId} order by period_start`);
	return rows.map((r) => ({ period_start: new Date(r.period_start), period_end: new Date(r.period_end) }));
}

async function grantsOfUnit(db: Db, userId: number, unit: string) {
	const walletId = await userWalletId(db, userId);
	const rows = await db.execute<{ original: string; remaining: string; effective_from: string; expires_at: string }>(sql`
		select original, remaining, effective_from, expires_at from credit_grants where wallet_id = ${walletId} and unit = ${unit} order by id`);
	return rows.map((r) => ({ ...r, effective_from: new Date(r.effective_from), expires_at: new Date(r.expires_at) }));
}

/** A user subscribed (ordered and paid through the sandbox) at `at`. */
async function subscribed(user: SessionUser, planId: number, at: Date, months = 1) {
	const order = await callerFor(t.db, user).plans.subscribe({ id: planId, method: 'sandbox', months });
	const [row] = await t.db.select().from(orders).where(eq(orders.publicId, order.id));
	// Paid "at" the fake time: confirmPayment takes now from the notification path; call the service directly.
	const { confirmPayment } = await import('../../src/lib/server/recharge/confirm-payment');
	const outcome = await confirmPayment(t.db, 'sandbox', { order_public_id: row.publicId, payment_id: `pay_${row.publicId}`, amount_minor: (row.metadata as { charge_minor: number }).charge_minor, currency: row.currency, status: 'paid' }, at);
	expect(outcome.result).toBe('credited');
	const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
	return sub;
}

async function tokenPlan(tokens: number, opts: { rollover?: number; credits?: number; images?: number } = {}) {
	return createPlan(t.db, {
		name: `Plan ${seq++}`,
		price: 300_000,
		allowance_credits: opts.credits ?? 0,
		allowance_tokens: tokens,
		allowance_images: opts.images ?? 0,
		rollover_cap_percent: opts.rollover ?? null,
		active: true
	});
}

async function fund(user: SessionUser, credits: number) {
	const admin = await makeUser(t.db, { role: 'admin' });
	await callerFor(t.db, admin).admin.adjustCredits({ user_id: user.id, amount: credits, reason: 'test funds', idempotency_key: rid('fund') });
}

// Boundaries in Asia/Shanghai: 1 Dec 2026 00:00 local = 30 Nov 16:00 UTC.
const NOV_20 = new Date('2026-11-20T04:00:00Z');
const DEC_1 = new Date('2026-11-30T16:00:00Z');

describe('plan allowances (the service tests of requirement doc llm-billing-quota, our numbers)', () => {
	it('grant then read the total; consume some and read what remains; consume more than remains: the rest from the balance, split recorded', async () => {
		const user = await makeUser(t.db);
		await fund(user, 100_000);
		const plan = await tokenPlan(10_000);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		await subscribed(user, plan.id, NOV_20);
		const mine = await callerFor(t.db, user).plans.mine();
		expect(mine[0].allowances).toEqual([{ unit: 'tokens', remaining: 10_000, original: 10_000 }]);

		const at = new Date(NOV_20.getTime() + 60_000);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 3_000, 1_000, at)], at);
		expect(await tokensLeft(t.db, user.id, at)).toBe(6_000);
		expect(await balanceOfUser(t.db, user.id)).toBe(100_000);

		const [over] = await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 5_000, 2_000, at)], at);
		expect(over).toMatchObject({ status: 'settled', cost: 7_000, subscriptionUsed: 6_000 });
		expect(await tokensLeft(t.db, user.id, at)).toBe(0);
		expect(await balanceOfUser(t.db, user.id)).toBe(100_000 - 1_000);
		await clean();
	});

	it('plan allowance alerts: crossing 80 % used raises one, more use below 100 % none, reaching 0 left the 100 % one', async () => {
		const user = await makeUser(t.db);
		const plan = await tokenPlan(10_000);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		await subscribed(user, plan.id, NOV_20);
		const walletId = await userWalletId(t.db, user.id);
		const planAlerts = async () =>
			(await t.db.execute<{ percent: number; balance: string; threshold: string }>(sql`
				select percent, balance, threshold from alerts where wallet_id = ${walletId} and kind = 'plan_allowance' order by id`)).map((r) => ({ percent: r.percent, used: Number(r.balance), allowance: Number(r.threshold) }));
		const at = new Date(NOV_20.getTime() + 60_000);

		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 5_000, 2_000, at)], at);
		expect(await planAlerts()).toEqual([]);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 1_000, 500, at)], at);
		expect(await planAlerts()).toEqual([{ percent: 80, used: 8_500, allowance: 10_000 }]);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 500, 500, at), tokenEvent(user.id, model.code, 400, 0, at)], at);
		expect(await planAlerts()).toHaveLength(1);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 100, 0, at)], at);
		expect(await planAlerts()).toEqual([
			{ percent: 80, used: 8_500, allowance: 10_000 },
			{ percent: 100, used: 10_000, allowance: 10_000 }
		]);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 0, 0, at)], at);
		expect(await planAlerts()).toHaveLength(2);
	});

	it('1,500 tokens with 1,000 left: 1,000 from the allowance, 500 tokens priced from the balance through the enterprise chain', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const enterprise = await callerFor(t.db, admin).enterprises.create({ name: `Ent ${rid('g')}`, admin_user_ids: [] });
		await callerFor(t.db, admin).enterprises.addUser({ group_id: enterprise.id, user_id: user.id });
		await callerFor(t.db, admin).admin.adjustCredits({ enterprise_id: enterprise.id, amount: 50_000, reason: 'funds', idempotency_key: rid('g') });
		const plan = await tokenPlan(1_000);
		// 2 credits per input token: the 500 uncovered input tokens cost 1,000 credits.
		const { model } = await setModelPrice(t.db, { code: rid('m'), provider: 't', inputPrice: 2_000_000, outputPrice: 2_000_000, effectiveFrom: new Date('2020-01-01Z') });
		await subscribed(user, plan.id, NOV_20);
		const at = new Date(NOV_20.getTime() + 60_000);
		const event = { ...tokenEvent(user.id, model.code, 1_500, 0, at), price: { ...FLAT, inputPrice: 2_000_000, outputPrice: 2_000_000 }, cost: 3_000 };
		const [outcome] = await settleBatchInTransaction(t.db, [event], at);
		expect(outcome).toMatchObject({ status: 'settled', cost: 3_000, subscriptionUsed: 2_000, enterpriseId: enterprise.id });
		const [rec] = await t.db.execute<{ subscription_used: string; regular_used: string }>(sql`select subscription_used, regular_used from usage_records where request_id = ${event.requestId}`);
		expect([Number(rec.subscription_used), Number(rec.regular_used)]).toEqual([2_000, 1_000]);
		const rows = await callerFor(t.db, user).dashboard.records({});
		expect(rows.records.find((r) => r.request_id === event.requestId)).toMatchObject({ subscription_used: 2_000, regular_used: 1_000 });
		await clean();
	});
});

describe('reset on the 1st, 00:00 Asia/Shanghai (fake clock)', () => {
	async function setup(opts: { rollover?: number } = {}) {
		const user = await makeUser(t.db);
		const plan = await tokenPlan(10_000, { rollover: opts.rollover, credits: 5_000 });
		const sub = await subscribed(user, plan.id, NOV_20, 3);
		return { user, sub };
	}

	it('on time: one new period, the old allowance lapses', async () => {
		const { user, sub } = await setup();
		await runPlanResets(t.db, DEC_1);
		expect((await periodsOf(t.db, sub.id)).map((p) => p.period_start.toISOString())).toEqual([NOV_20.toISOString(), DEC_1.toISOString()]);
		const tokens = await grantsOfUnit(t.db, user.id, 'tokens');
		expect(tokens.map((g) => [Number(g.original), g.expires_at.toISOString()])).toEqual([
			[10_000, DEC_1.toISOString()],
			[10_000, '2026-12-31T16:00:00.000Z']
		]);
		await clean();
	});

	it('a day late, run twice, and by two processes at once: still one new allowance', async () => {
		const { user, sub } = await setup();
		const late = new Date(DEC_1.getTime() + 86_400_000);
		const [a, b] = await Promise.all([runPlanResets(t.db, late), runPlanResets(t.db, late)]);
		await runPlanResets(t.db, late);
		expect(a.granted + b.granted).toBe(1);
		expect(await periodsOf(t.db, sub.id)).toHaveLength(2);
		expect(await grantsOfUnit(t.db, user.id, 'tokens')).toHaveLength(2);
		expect(await grantsOfUnit(t.db, user.id, 'credits')).toHaveLength(2);
		await clean();
	});

	it('two instances (separate connections) at once', async () => {
		const { connect } = await import('../../src/lib/server/db/client');
		const { user, sub } = await setup();
		const other = connect(t.url, { max: 2 });
		try {
			const results = await Promise.all([runPlanResets(t.db, DEC_1), runPlanResets(other.db, DEC_1)]);
			expect(results[0].granted + results[1].granted).toBe(1);
		} finally {
			await other.close();
		}
		expect(await grantsOfUnit(t.db, user.id, 'tokens')).toHaveLength(2);
		expect(await periodsOf(t.db, sub.id)).toHaveLength(2);
	});

	it('lazily, by a request at 00:00:01 before the job ran: served from the new allowance, and the job then adds nothing', async () => {
		const { user, sub } = await setup();
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		// Use up November's tokens.
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 10_000, 0, NOV_20)], new Date(NOV_20.getTime() + 1));
		const at = new Date(DEC_1.getTime() + 1_000);
		const [outcome] = await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 400, 100, at)], at);
		expect(outcome).toMatchObject({ status: 'settled', cost: 500, subscriptionUsed: 500 });
		expect(await tokensLeft(t.db, user.id, at)).toBe(9_500);
		expect((await runPlanResets(t.db, at)).granted).toBe(0);
		expect(await periodsOf(t.db, sub.id)).toHaveLength(2);
		await clean();
	});

	it('rolls over what is left up to the cap', async () => {
		const { user } = await setup({ rollover: 50 });
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		await settleBatchInTransaction(t.db, [tokenEvent(user.id, model.code, 2_000, 0, NOV_20)], new Date(NOV_20.getTime() + 1));
		// 8,000 left, the cap is 5,000: December gets 10,000 + 5,000.
		await runPlanResets(t.db, DEC_1);
		const tokens = await grantsOfUnit(t.db, user.id, 'tokens');
		expect(Number(tokens[1].original)).toBe(15_000);
		await clean();
	});

	it('no new period after the months paid; cancelling keeps the current period', async () => {
		const user = await makeUser(t.db);
		const plan = await tokenPlan(1_000);
		const sub = await subscribed(user, plan.id, NOV_20, 1);
		await callerFor(t.db, user).plans.cancel({});
		const [row] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
		expect(row.cancelledAt).not.toBeNull();
		expect(row.status).toBe('active');
		await runPlanResets(t.db, DEC_1);
		// Paid through 20 Dec: December's period runs 1–20 Dec.
		expect((await periodsOf(t.db, sub.id)).map((p) => p.period_end.toISOString())).toEqual([DEC_1.toISOString(), '2026-12-20T04:00:00.000Z']);
		const report = await runPlanResets(t.db, new Date('2026-12-21T00:00:00Z'));
		expect(report.ended).toBeGreaterThanOrEqual(1);
		expect(await periodsOf(t.db, sub.id)).toHaveLength(2);
	});
});

describe('concurrency and images', () => {
	it('50 parallel events against one allowance: used exactly, never below zero, the rest billed to the balance', async () => {
		const user = await makeUser(t.db);
		await fund(user, 1_000_000);
		const plan = await tokenPlan(10_000);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		await subscribed(user, plan.id, new Date(Date.now() - 60_000));
		// 50 × 300 tokens = 15,000: 10,000 from the allowance, 5,000 credits from the balance.
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) => settleUsage(t.db, [{ requestId: rid(`p${i}`), userId: user.id, model: model.code, inputTokens: 200, outputTokens: 100 }]))
		);
		expect(results.flat().every((r) => r.status === 'settled')).toBe(true);
		expect(await tokensLeft(t.db, user.id, new Date())).toBe(0);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000_000 - 5_000);
		const [split] = await t.db.execute<{ sub: string; reg: string }>(sql`
			select sum(subscription_used) as sub, sum(regular_used) as reg from usage_records where user_id = ${user.id}`);
		expect([Number(split.sub), Number(split.reg)]).toEqual([10_000, 5_000]);
		await clean();
	});

	it('an image model is billed per image: from the image allowance, then from the balance', async () => {
		const user = await makeUser(t.db);
		await fund(user, 1_000_000);
		const plan = await tokenPlan(0, { images: 3 });
		const { model } = await setModelPrice(t.db, { code: rid('img'), provider: 't', type: 'image', inputPrice: 0, outputPrice: 0, imagePrice: 2_000, effectiveFrom: new Date('2020-01-01Z') });
		await subscribed(user, plan.id, new Date(Date.now() - 60_000));
		const [first] = await settleUsage(t.db, [{ requestId: rid('i1'), userId: user.id, model: model.code, images: 2 }]);
		expect(first).toMatchObject({ status: 'settled', cost: 4_000 });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000_000);
		const [second] = await settleUsage(t.db, [{ requestId: rid('i2'), userId: user.id, model: model.code, images: 4 }]);
		expect(second).toMatchObject({ status: 'settled', cost: 8_000 });
		// One image left in the allowance: three paid at 2,000 each.
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000_000 - 6_000);
		const [noPrice] = await settleUsage(t.db, [{ requestId: rid('i3'), userId: user.id, model: (await makeModel(t.db)).code, images: 1 }]);
		expect(noPrice).toMatchObject({ status: 'rejected', reason: 'image_price_missing' });
		await clean();
	});

	it('the public price list shows per-image prices and scheduled changes', async () => {
		const { activePriceList } = await import('../../src/lib/server/usage/models');
		const code = rid('list');
		await setModelPrice(t.db, { code, provider: 't', type: 'image', inputPrice: 10, outputPrice: 0, imagePrice: 2_900, effectiveFrom: new Date('2020-01-01Z') });
		await setModelPrice(t.db, { code, provider: 't', inputPrice: 10, outputPrice: 0, imagePrice: 2_500, minCharge: 100, effectiveFrom: new Date('2099-01-01Z') });
		const entry = (await activePriceList(t.db)).find((e) => e.code === code)!;
		expect(entry).toMatchObject({ type: 'image', current: { imagePrice: 2_900, minCharge: 0 }, scheduled: [{ imagePrice: 2_500, minCharge: 100 }] });
	});

	it('a minimum charge per request applies to small requests', async () => {
		const user = await makeUser(t.db);
		await fund(user, 100_000);
		const { model } = await setModelPrice(t.db, { code: rid('min'), provider: 't', inputPrice: 1_000_000, outputPrice: 1_000_000, minCharge: 50, effectiveFrom: new Date('2020-01-01Z') });
		const [r] = await settleUsage(t.db, [{ requestId: rid('m'), userId: user.id, model: model.code, inputTokens: 3, outputTokens: 2 }]);
		expect(r).toMatchObject({ cost: 50 });
	});
});

describe('orders, packages, grants and bad input', () => {
	it('a package grants amount + bonus as two grants, valid for its days; the order shows both', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const pkg = await callerFor(t.db, admin).plans.createPackage({ name: '5M + 1M', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000, price: 300_000, validity_days: 90 });
		const order = await callerFor(t.db, user).plans.buyPackage({ id: pkg.id, method: 'sandbox', expected_price: 300_000 });
		expect(order).toMatchObject({ kind: 'package', amount_credits: 300_000, item: { name: '5M + 1M', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000 } });
		const [row] = await t.db.select().from(orders).where(eq(orders.publicId, order.id));
		expect((await paySandbox(t.db, row)).result).toBe('credited');
		const grants = await grantsOfUnit(t.db, user.id, 'tokens');
		expect(grants.map((g) => Number(g.original))).toEqual([5_000_000, 1_000_000]);
		const days = (grants[0].expires_at.getTime() - grants[0].effective_from.getTime()) / 86_400_000;
		expect(days).toBe(90);
		expect(await balanceOfUser(t.db, user.id)).toBe(0);
		const paid = await callerFor(t.db, user).recharge.order({ id: order.id });
		expect(paid).toMatchObject({ status: 'paid', bonus_credits: 1_000_000 });
		await clean();
	});

	it('an order keeps the price it was created with when the plan price changes', async () => {
		const user = await makeUser(t.db);
		const admin = await makeUser(t.db, { role: 'admin' });
		const plan = await tokenPlan(1_000);
		const order = await callerFor(t.db, user).plans.subscribe({ id: plan.id, method: 'sandbox', expected_price: 300_000 });
		await callerFor(t.db, admin).plans.updatePlan({ id: plan.id, name: plan.name, price: 900_000, allowance_tokens: 1_000, allowance_credits: 0, allowance_images: 0, active: true });
		const [row] = await t.db.select().from(orders).where(eq(orders.publicId, order.id));
		expect(row.amount).toBe(300_000);
		expect((row.metadata as { charge_minor: number }).charge_minor).toBe(3_000);
		expect((await paySandbox(t.db, row)).result).toBe('credited');
		await expectCode(callerFor(t.db, await makeUser(t.db)).plans.subscribe({ id: plan.id, method: 'sandbox', expected_price: 300_000 }), 'CONFLICT', 'price_changed');
	});

	it('bad input is a typed error and writes nothing', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const asAdmin = callerFor(t.db, admin).plans;
		const plan = await tokenPlan(1_000);
		const inactive = await createPlan(t.db, { name: 'Off', price: 1, allowance_credits: 0, allowance_tokens: 1, allowance_images: 0, active: false });
		await subscribed(user, plan.id, new Date(Date.now() - 60_000));
		const before = { ...(await moneyRows(t.db)), orders: (await t.db.select().from(orders)).length };
		await expectCode(asAdmin.createPlan({ name: 'Empty', price: 100 }), 'BAD_REQUEST');
		await expectCode(asAdmin.createPlan({ name: 'Negative', price: -1, allowance_tokens: 5 }), 'BAD_REQUEST');
		await expectCode(asAdmin.createPackage({ name: 'Too much', unit: 'tokens', amount: 100, bonus: 1_001, price: 1 }), 'BAD_REQUEST');
		await expectCode(asAdmin.grant({ user_id: user.id, unit: 'tokens', amount: 0, reason: 'zero', idempotency_key: rid('k') }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, user).plans.subscribe({ id: inactive.id, method: 'sandbox' }), 'BAD_REQUEST', 'plan_inactive');
		await expectCode(callerFor(t.db, user).plans.subscribe({ id: plan.id, method: 'sandbox' }), 'CONFLICT', 'already_subscribed');
		expect({ ...(await moneyRows(t.db)), orders: (await t.db.select().from(orders)).length }).toEqual(before);
	});

	it('admin grants: any unit to a user or an enterprise, idempotent, listed by user', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const asAdmin = callerFor(t.db, admin).plans;
		const key = rid('grant');
		const first = await asAdmin.grant({ user_id: user.id, unit: 'images', amount: 20, reason: 'goodwill', idempotency_key: key });
		const again = await asAdmin.grant({ user_id: user.id, unit: 'images', amount: 20, reason: 'goodwill', idempotency_key: key });
		expect(again).toMatchObject({ id: first.id, duplicate: true });
		await expectCode(asAdmin.grant({ user_id: user.id, unit: 'images', amount: 21, reason: 'goodwill', idempotency_key: key }), 'CONFLICT', 'idempotency_key_reused');
		await asAdmin.grant({ user_id: user.id, unit: 'credits', amount: 5_000, reason: 'credit', idempotency_key: rid('c') });
		expect(await balanceOfUser(t.db, user.id)).toBe(5_000);
		const listed = await asAdmin.grants({ user_id: user.id });
		expect(listed.map((g) => [g.unit, g.original, g.reason])).toEqual([
			['credits', 5_000, 'credit'],
			['images', 20, 'goodwill']
		]);
		const balance = await callerFor(t.db, user).usage.balance();
		expect(balance.allowances).toEqual(expect.arrayContaining([{ unit: 'images', remaining: 20, original: 20 }]));
		await clean();
	});
});

describe('demo data and the CLI', () => {
	it('the demo has two plans, a package, an image model with usage, and Alice on a plan with part used', async () => {
		const { createTestDatabase } = await import('../helpers/db');
		const { seedDemo } = await import('../../src/lib/server/seed/demo');
		const fresh = await createTestDatabase(4);
		try {
			expect(await seedDemo(fresh.db)).toBe(true);
			const [alice] = await fresh.db.execute<{ id: number }>(sql`select id from users where email = 'alice@tally.local'`);
			const aliceUser = { id: alice.id, email: 'alice@tally.local', name: 'Alice', role: 'user' as const, locale: 'zh-CN' };
			const caller = callerFor(fresh.db, aliceUser as SessionUser);
			expect(await caller.plans.list()).toHaveLength(2);
			expect(await caller.plans.packages()).toHaveLength(1);
			const [sub] = await caller.plans.mine();
			const tokens = sub.allowances.find((a) => a.unit === 'tokens')!;
			const images = sub.allowances.find((a) => a.unit === 'images')!;
			expect(tokens.remaining).toBeGreaterThan(0);
			expect(tokens.remaining).toBeLessThan(tokens.original);
			expect(images).toMatchObject({ original: 50, remaining: 38 });
			const [img] = await fresh.db.execute<{ n: string }>(sql`select coalesce(sum(images), 0) as n from usage_records where model = 'gpt-image-1'`);
			expect(Number(img.n)).toBe(12);
			const report = await verifyLedger(fresh.db);
			expect(report.violations).toEqual([]);
			expect(report.drifts).toEqual([]);
		} finally {
			await fresh.close();
		}
	});

	it('npm run cli -- grant create grants once per key', async () => {
		const { spawnSync } = await import('node:child_process');
		const user = await makeUser(t.db);
		const key = rid('cli');
		const run = () =>
			spawnSync('npx', ['tsx', 'src/lib/server/cli/index.ts', 'grant', 'create', '--email', user.email, '--unit', 'tokens', '--amount', '250000', '--reason', 'support', '--key', key], {
				env: { ...process.env, DATABASE_URL: t.url },
				encoding: 'utf8'
			});
		const first = run();
		expect(first.status, first.stderr).toBe(0);
		expect(first.stdout).toContain('granted 250000 tokens');
		expect(run().stdout).toContain('already granted');
		expect((await grantsOfUnit(t.db, user.id, 'tokens')).map((g) => Number(g.original))).toEqual([250_000]);
	});
});
