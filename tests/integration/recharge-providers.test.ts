import { beforeAll, describe, expect, it } from 'vitest';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { orders, paymentEvents } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { userWalletId, walletBalance } from '../../src/lib/server/ledger/wallets';
import { receiveNotification } from '../../src/lib/server/recharge/notifications';
import { createOrder, type OrderRow } from '../../src/lib/server/recharge/orders';
import { enabledMethods } from '../../src/lib/server/recharge/providers/registry';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { POST as alipayNotify } from '../../src/routes/api/v1/payments/alipay/notify/+server';
import { POST as stripeWebhook } from '../../src/routes/api/v1/payments/stripe/webhook/+server';
import { POST as sandboxNotify } from '../../src/routes/api/v1/payments/sandbox/notify/+server';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { SANDBOX_SECRET, sandboxBodyFor, sandboxRequest } from '../helpers/recharge';

const t = useTestDatabase();
const CPU = 10_000;
const USD_RATE = 72_000;
const WEBHOOK_SECRET = 'whsec_test_secret_for_tally';
const stripe = new Stripe('sk_test_dummy');

const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: { export(o: object): string | Buffer }, type: 'spki' | 'pkcs8') => String(k.export({ type, format: 'pem' }));

beforeAll(() =>
	overrideConfig({
		PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET,
		SEED_DEMO: false,
		CREDITS_PER_UNIT: CPU,
		CURRENCY: 'CNY',
		USD_RATE_CREDITS: USD_RATE,
		STRIPE_SECRET_KEY: 'sk_test_dummy',
		STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
		ALIPAY_APP_ID: '2021000000000001',
		ALIPAY_PRIVATE_KEY: pem(appKeys.privateKey, 'pkcs8'),
		ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey, 'spki'),
		ORIGIN: 'https://tally.example'
	})
);

/** Inserts an order directly (creating a real Stripe session would need the network). */
async function pendingOrder(user: SessionUser, provider: 'stripe' | 'alipay', amountCredits: number, currency: string, chargeMinor: number): Promise<OrderRow> {
	const walletId = await userWalletId(t.db, user.id);
	const [row] = await t.db
		.insert(orders)
		.values({
			publicId: `T${provider}${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
			userId: user.id,
			walletId,
			amount: amountCredits,
			currency,
			tierAmount: amountCredits,
			provider,
			expiresAt: new Date(Date.now() + 30 * 60_000),
			metadata: { charge_minor: chargeMinor }
		})
		.returning();
	return row;
}

const balance = async (user: SessionUser) => walletBalance(t.db, await userWalletId(t.db, user.id));
const event = (request: Request) => ({ request, locals: { db: t.db } }) as never;

function stripeEvent(order: OrderRow, amountTotal: number, currency = 'usd') {
	return JSON.stringify({
		id: `evt_${order.publicId}`,
		object: 'event',
		type: 'checkout.session.completed',
		data: {
			object: {
				id: `cs_test_${order.publicId}`,
				object: 'checkout.session',
				client_reference_id: order.publicId,
				metadata: { order_public_id: order.publicId },
				amount_total: amountTotal,
				currency,
				payment_status: 'paid'
			}
		}
	});
}

function stripeRequest(payload: string, secret = WEBHOOK_SECRET, signedPayload = payload) {
	const header = stripe.webhooks.generateTestHeaderString({ payload: signedPayload, secret });
	return new Request('https://tally.example/api/v1/payments/stripe/webhook', { method: 'POST', body: payload, headers: { 'stripe-signature': header, 'content-type': 'application/json' } });
}

function alipayForm(order: OrderRow, totalAmount: string, signWith = alipayKeys.privateKey, tamper?: (p: Record<string, string>) => void) {
	const params: Record<string, string> = {
		app_id: '2021000000000001',
		charset: 'utf-8',
		gmt_payment: '2026-11-21 10:00:00',
		notify_time: '2026-11-21 10:00:01',
		notify_type: 'trade_status_sync',
		notify_id: `n${order.id}`,
		out_trade_no: order.publicId,
		subject: 'Tally 充值',
		total_amount: totalAmount,
		trade_no: `2026112122001${order.id}`,
		trade_status: 'TRADE_SUCCESS',
		version: '1.0'
	};
	const content = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
	params.sign = createSign('RSA-SHA256').update(content, 'utf8').sign(signWith, 'base64');
	params.sign_type = 'RSA2';
	tamper?.(params);
	return new Request('https://tally.example/api/v1/payments/alipay/notify', {
		method: 'POST',
		body: new URLSearchParams(params).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' }
	});
}

describe('providers offered', () => {
	it('offers exactly the providers whose secrets are configured', async () => {
		expect(await enabledMethods(t.db)).toEqual(['sandbox', 'alipay', 'stripe']);
		overrideConfig({ STRIPE_WEBHOOK_SECRET: undefined, ALIPAY_PUBLIC_KEY: undefined });
		expect(await enabledMethods(t.db)).toEqual(['sandbox']);
		overrideConfig({ STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey, 'spki') });
	});

	it('builds a signed Alipay page-pay URL for a real order, charging the exact yuan amount', async () => {
		const user = await makeUser(t.db);
		const order = await createOrder(t.db, user, { amountCredits: 50 * CPU, method: 'alipay' });
		const url = new URL((order.metadata as { checkout_url: string }).checkout_url);
		expect(url.searchParams.get('method')).toBe('alipay.trade.page.pay');
		expect(url.searchParams.get('sign')).toBeTruthy();
		expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({ out_trade_no: order.publicId, total_amount: '50.00' });
		expect(url.searchParams.get('notify_url')).toBe('https://tally.example/api/v1/payments/alipay/notify');
	});
});

describe('sandbox signatures', () => {
	it('credits a genuine signature and refuses a tampered body or a wrong secret', async () => {
		const user = await makeUser(t.db);
		const before = await balance(user);
		const order = await createOrder(t.db, user, { amountCredits: 10 * CPU, method: 'sandbox' });
		const genuine = sandboxRequest(sandboxBodyFor(order));
		const tampered = { rawBody: genuine.rawBody.replace('"10.00"', '"1000.00"'), headers: genuine.headers };
		expect(await receiveNotification(t.db, 'sandbox', tampered)).toEqual({ result: 'rejected', reason: 'bad_signature' });
		expect(await receiveNotification(t.db, 'sandbox', sandboxRequest(sandboxBodyFor(order), 'another-secret-0123456789'))).toEqual({ result: 'rejected', reason: 'bad_signature' });
		expect(await receiveNotification(t.db, 'sandbox', { rawBody: genuine.rawBody, headers: new Headers() })).toEqual({ result: 'rejected', reason: 'bad_signature' });
		const notJson = sandboxRequest({}, SANDBOX_SECRET);
		expect(await receiveNotification(t.db, 'sandbox', notJson)).toMatchObject({ result: 'rejected', reason: 'malformed' });
		expect(await balance(user)).toBe(before);

		const response = await sandboxNotify(event(new Request('https://tally.example/x', { method: 'POST', body: genuine.rawBody, headers: genuine.headers })));
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ok: true, result: 'credited' });
		expect(await balance(user)).toBe(before + 12 * CPU);
		const bad = await sandboxNotify(event(new Request('https://tally.example/x', { method: 'POST', body: tampered.rawBody, headers: tampered.headers })));
		expect(bad.status).toBe(401);
		const refused = await t.db.select().from(paymentEvents).where(eq(paymentEvents.provider, 'sandbox'));
		expect(refused.filter((e) => e.outcome === 'bad_signature').length).toBeGreaterThanOrEqual(3);
	});
});

describe('stripe webhook signatures', () => {
	it('credits a genuine signed event once, converting USD at the configured rate', async () => {
		const user = await makeUser(t.db);
		const before = await balance(user);
		// ¥50 = 500,000 credits = $6.95 (694.4 cents, rounded up) at 72,000 credits per dollar.
		const order = await pendingOrder(user, 'stripe', 50 * CPU, 'USD', 695);
		const payload = stripeEvent(order, 695);
		const first = await stripeWebhook(event(stripeRequest(payload)));
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ received: true, result: 'credited' });
		const replay = await stripeWebhook(event(stripeRequest(payload)));
		expect(await replay.json()).toEqual({ received: true, result: 'replay' });
		expect(await balance(user)).toBe(before + 60 * CPU);
	});

	it('refuses a tampered body, a wrong secret and a wrong amount', async () => {
		const user = await makeUser(t.db);
		const before = await balance(user);
		const order = await pendingOrder(user, 'stripe', 10 * CPU, 'USD', 139);
		const genuine = stripeEvent(order, 139);
		const tampered = await stripeWebhook(event(stripeRequest(genuine.replace('"amount_total":139', '"amount_total":13900'), WEBHOOK_SECRET, genuine)));
		expect(tampered.status).toBe(400);
		const wrongSecret = await stripeWebhook(event(stripeRequest(genuine, 'whsec_not_ours')));
		expect(wrongSecret.status).toBe(400);
		const wrongAmount = await stripeWebhook(event(stripeRequest(stripeEvent(order, 100))));
		expect(await wrongAmount.json()).toEqual({ received: false, result: 'refused' });
		expect(await balance(user)).toBe(before);
		const [row] = await t.db.select().from(orders).where(eq(orders.id, order.id));
		expect(row.status).toBe('pending');
	});
});

describe('alipay notify signatures', () => {
	it('answers "success" and credits a genuine RSA2 notification; replays change nothing', async () => {
		const user = await makeUser(t.db);
		const before = await balance(user);
		const order = await pendingOrder(user, 'alipay', 100 * CPU, 'CNY', 10_000);
		const first = await alipayNotify(event(alipayForm(order, '100.00')));
		expect(await first.text()).toBe('success');
		expect(await (await alipayNotify(event(alipayForm(order, '100.00')))).text()).toBe('success');
		expect(await balance(user)).toBe(before + 120 * CPU);
	});

	it('answers "fail" for a tampered field, another key or a wrong amount, crediting nothing', async () => {
		const user = await makeUser(t.db);
		const before = await balance(user);
		const order = await pendingOrder(user, 'alipay', 50 * CPU, 'CNY', 5_000);
		const tampered = alipayForm(order, '50.00', alipayKeys.privateKey, (p) => (p.total_amount = '5000.00'));
		expect(await (await alipayNotify(event(tampered))).text()).toBe('fail');
		expect(await (await alipayNotify(event(alipayForm(order, '50.00', appKeys.privateKey)))).text()).toBe('fail');
		expect(await (await alipayNotify(event(alipayForm(order, '0.50')))).text()).toBe('fail');
		expect(await balance(user)).toBe(before);
		const events = await t.db.select().from(paymentEvents).where(eq(paymentEvents.provider, 'alipay'));
		expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['bad_signature', 'amount_mismatch']));
	});
});
