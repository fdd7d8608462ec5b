import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { orders, paymentEvents, users } from '../../src/lib/server/db/schema';
import type { AuthedKey, SessionUser } from '../../src/lib/server/auth/identity';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { openApiDocument } from '../../src/lib/server/trpc/openapi';
import { tokenCost } from '../../src/lib/server/usage/price';
import { useTestDatabase } from '../helpers/db';
import { callerFor, CookieJar, contextFor, makeUser, uniqueEmail } from '../helpers/callers';
import { balanceOfUser, makeModel } from '../helpers/usage';

const t = useTestDatabase();
const WELCOME = 50_000;
const RATE = 72_000;

let platformOwner: SessionUser;
let platformKey: AuthedKey;
let gatewayKey: AuthedKey;
let seq = 0;

beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: WELCOME, CREDIT_LIMIT: 0, USD_RATE_CREDITS: RATE });
	platformOwner = await makeUser(t.db, { role: 'admin' });
	const key = await createApiKey(t.db, platformOwner.id, { name: 'platform', scopes: ['users:sync'] });
	platformKey = { id: key.id, scopes: key.scopes };
	const gw = await createApiKey(t.db, platformOwner.id, { name: 'gateway', scopes: ['usage:write'] });
	gatewayKey = { id: gw.id, scopes: gw.scopes };
});

/** A platform's server calling over HTTP with its users:sync key (a plain user's key unless `as` says otherwise). */
async function call(method: string, path: string, body?: unknown, as: { user?: SessionUser | null; key?: AuthedKey | null } = {}) {
	const init: RequestInit = { method };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		init.headers = { 'content-type': 'application/json' };
	}
	const user = as.user === undefined ? platformOwner : as.user;
	const key = as.key === undefined ? platformKey : as.key;
	const res = await handleOpenApiRequest(new Request(`http://tally.test/api${path}`, init), () => contextFor(t.db, user, { apiKey: key }));
	return { status: res.status, body: await res.json() };
}

const newId = () => `wx_${process.pid}_${Date.now()}_${seq++}`;

async function written() {
	const [row] = await t.db.execute<Record<string, string>>(sql`
		select (select count(*) from users) as users, (select count(*) from ledger_entries) as entries,
		       (select count(*) from orders) as orders, (select count(*) from api_keys) as keys,
		       (select coalesce(sum(balance), 0) from wallets) as balances`);
	return row;
}

async function reportUsage(userId: number, events: Array<{ model: string; input_tokens: number; output_tokens: number; occurred_at: string }>) {
	const payload = events.map((e, i) => ({ request_id: `ext-${process.pid}-${Date.now()}-${seq++}-${i}`, user_id: userId, ...e }));
	for (let i = 0; i < payload.length; i += 1000) {
		const res = await call('POST', '/v1/usage', { events: payload.slice(i, i + 1000) }, { key: gatewayKey });
		expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
		expect(res.body.settled).toBe(Math.min(1000, payload.length - i));
	}
}

describe('external users: sync', () => {
	it('creates once with the welcome grant, updates named fields, and a repeat changes nothing', async () => {
		const id = newId();
		const first = await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'wechat', wechat_openid: 'o-1', name: 'Li Lei', external_data: { vip: 1 } });
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ external_user_id: id, created: true, name: 'Li Lei', login_type: 'wechat', wechat_openid: 'o-1', email: null, external_data: { vip: 1 } });
		expect(await balanceOfUser(t.db, first.body.user_id)).toBe(WELCOME);

		const before = await written();
		const repeat = await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'wechat', wechat_openid: 'o-1', name: 'Li Lei', external_data: { vip: 1 } });
		expect(repeat.body).toMatchObject({ created: false, user_id: first.body.user_id, name: 'Li Lei' });
		expect(await written()).toEqual(before);

		const updated = await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms', phone: '+86 138 0000 0000', email: 'li@example.com' });
		expect(updated.body).toMatchObject({ created: false, user_id: first.body.user_id, login_type: 'sms', phone: '+86 138 0000 0000', email: 'li@example.com', wechat_openid: 'o-1', name: 'Li Lei' });
		expect(await balanceOfUser(t.db, first.body.user_id)).toBe(WELCOME);
	});

	it('two syncs of one new id at the same moment make one user with one welcome grant', async () => {
		for (let round = 0; round < 5; round++) {
			const id = newId();
			const answers = await Promise.all(Array.from({ length: 4 }, () => call('POST', '/user/external/sync', { external_user_id: id, login_type: 'alipay' })));
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
			expect(answers.filter((a) => a.body.created)).toHaveLength(1);
			expect(new Set(answers.map((a) => a.body.user_id)).size).toBe(1);
			const rows = await t.db.select({ id: users.id }).from(users).where(eq(users.externalId, id));
			expect(rows).toHaveLength(1);
			expect(await balanceOfUser(t.db, rows[0].id)).toBe(WELCOME);
		}
	});

	it('many ordinary registrations with no external id, then external syncs: nothing collides', async () => {
		for (let i = 0; i < 15; i++) {
			const res = await callerFor(t.db, null, { ip: `10.1.${i}.1`, jar: new CookieJar() }).auth.register({ email: uniqueEmail('plain'), password: 'a-good-pass-1', name: `Plain ${i}` });
			expect(res.user.id).toBeGreaterThan(0);
		}
		const [{ n }] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users where external_id is null`);
		expect(n).toBeGreaterThanOrEqual(15);
		for (let i = 0; i < 5; i++) expect((await call('POST', '/user/external/sync', { external_user_id: newId(), login_type: 'email', email: 'same@example.com' })).body.created).toBe(true);
		const after = await callerFor(t.db, null, { ip: '10.2.0.1', jar: new CookieJar() }).auth.register({ email: uniqueEmail('plain'), password: 'a-good-pass-1', name: 'After' });
		expect(after.user.id).toBeGreaterThan(0);
	});
});

describe('external users: top-up', () => {
	it('credits exactly once per payment_id: ten at once → one credit, same answer; another amount or user → 409, logged', async () => {
		const id = newId();
		const user = (await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms' })).body;
		const paymentId = `pay-${id}`;
		const answers = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/user/external/topup', { external_user_id: id, amount_usd: 12.34, payment_id: paymentId })));
		expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
		const credits = 1234 * (RATE / 100);
		expect(answers[0].body).toMatchObject({ external_user_id: id, payment_id: paymentId, amount_usd: '12.34', credits, balance_after: WELCOME + credits });
		for (const a of answers) expect(a.body).toEqual(answers[0].body);
		expect(await balanceOfUser(t.db, user.user_id)).toBe(WELCOME + credits);

		const [order] = await t.db.select().from(orders).where(and(eq(orders.provider, 'external'), eq(orders.providerPaymentId, paymentId)));
		expect(order).toMatchObject({ status: 'paid', amount: credits, currency: 'USD', userId: user.user_id });
		const asUser = callerFor(t.db, { id: user.user_id, email: 'x', name: 'x', role: 'user', locale: 'en' });
		expect(await asUser.recharge.orders({})).toEqual([expect.objectContaining({ id: order.publicId, method: 'external', status: 'paid', amount_credits: credits, provider_payment_id: paymentId })]);
		const adminView = await callerFor(t.db, platformOwner).recharge.orders({ all: true, search: order.publicId });
		expect(adminView.map((o) => o.id)).toEqual([order.publicId]);

		const before = await written();
		const other = await call('POST', '/user/external/topup', { external_user_id: id, amount_usd: '99.00', payment_id: paymentId });
		expect(other.status).toBe(409);
		expect(other.body).toMatchObject({ code: 'CONFLICT', message: 'payment_id_conflict' });
		const someoneElse = newId();
		await call('POST', '/user/external/sync', { external_user_id: someoneElse, login_type: 'sms' });
		const stolen = await call('POST', '/user/external/topup', { external_user_id: someoneElse, amount_usd: 12.34, payment_id: paymentId });
		expect(stolen.status).toBe(409);
		const events = await t.db.select().from(paymentEvents).where(and(eq(paymentEvents.provider, 'external'), eq(paymentEvents.outcome, 'payment_id_conflict'), eq(paymentEvents.orderPublicId, order.publicId)));
		expect(events).toHaveLength(2);
		// Only the second user's sync wrote: its row, wallet, welcome entry; no order, no top-up entry.
		const now = await written();
		expect(now).toEqual({ ...before, users: String(Number(before.users) + 1), entries: String(Number(before.entries) + 1), balances: String(Number(before.balances) + WELCOME) });
		expect(await balanceOfUser(t.db, user.user_id)).toBe(WELCOME + credits);

		const refunded = await callerFor(t.db, platformOwner).recharge.admin.refund({ id: order.publicId });
		expect(refunded).toMatchObject({ status: 'refunded' });
		expect(await balanceOfUser(t.db, user.user_id)).toBe(WELCOME);
		// A late retry of the refunded payment answers the original and credits nothing again.
		const late = await call('POST', '/user/external/topup', { external_user_id: id, amount_usd: '12.34', payment_id: paymentId });
		expect(late.body).toEqual(answers[0].body);
		expect(await balanceOfUser(t.db, user.user_id)).toBe(WELCOME);
	});

	it('the amount is exact: cents × rate, a string or a number, no float drift', async () => {
		const id = newId();
		const user = (await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms' })).body;
		const a = await call('POST', '/user/external/topup', { external_user_id: id, amount_usd: 0.1, payment_id: `${id}-a` });
		const b = await call('POST', '/user/external/topup', { external_user_id: id, amount_usd: '0.20', payment_id: `${id}-b` });
		expect(a.body.credits).toBe(7_200);
		expect(b.body.credits).toBe(14_400);
		expect(await balanceOfUser(t.db, user.user_id)).toBe(WELCOME + 21_600);
	});
});

describe('external users: token, profile, stats, logs', () => {
	it('issues several keys for the user that work as that user, and answers the profile with balance and usage', async () => {
		const id = newId();
		const synced = (await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'email', email: 'p@example.com' })).body;
		const k1 = await call('POST', '/user/external/token', { external_user_id: id, name: 'app' });
		const k2 = await call('POST', '/user/external/token', { external_user_id: id, expires_in_days: 30 });
		expect(k1.status).toBe(200);
		expect(k1.body.key).toMatch(/^tly_/);
		expect(k2.body.key).not.toBe(k1.body.key);
		const days = (Date.parse(k2.body.expires_at) - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(29.9);
		expect(days).toBeLessThanOrEqual(30);
		expect((Date.parse(k1.body.expires_at) - Date.now()) / 86_400_000).toBeGreaterThan(364.9);

		const model = await makeModel(t.db, 1_000_000, 2_000_000);
		await reportUsage(synced.user_id, [{ model: model.code, input_tokens: 3, output_tokens: 4, occurred_at: new Date().toISOString() }]);
		const profile = await call('GET', `/user/external/${id}`);
		expect(profile.status).toBe(200);
		expect(profile.body).toMatchObject({ external_user_id: id, user_id: synced.user_id, email: 'p@example.com', login_type: 'email', used: { credits: 11, requests: 1 }, plan: null });
		expect(profile.body.balance).toEqual({ credits: WELCOME - 11, usd: '0.69' });
	});

	it('stats and logs match usage posted through the usage API; logs page by keyset over 1,000 records', async () => {
		const id = newId();
		const synced = (await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'wechat' })).body;
		const a = await makeModel(t.db, 1_000, 2_000);
		const b = await makeModel(t.db, 5_000, 5_000);
		await call('POST', '/v1/admin/credits/adjust', { user_id: synced.user_id, amount: 10_000_000, reason: 'test', idempotency_key: `fund-${id}` }, { key: null });
		const day = (offset: number) => new Date(Date.UTC(2026, 0, 10 + offset, 12)).toISOString();
		const events = Array.from({ length: 1_050 }, (_, i) => ({ model: i % 3 === 0 ? b.code : a.code, input_tokens: 100 + i, output_tokens: i % 7, occurred_at: day(i % 3) }));
		await reportUsage(synced.user_id, events);

		const stats = await call('GET', `/user/external/${id}/stats?from=2026-01-10&to=2026-01-12`);
		expect(stats.status).toBe(200);
		const cost = (e: (typeof events)[number]) => tokenCost(e.input_tokens, e.output_tokens, e.model === a.code ? { inputPrice: 1_000, outputPrice: 2_000 } : { inputPrice: 5_000, outputPrice: 5_000 });
		expect(stats.body.total).toEqual({
			requests: 1_050,
			input_tokens: events.reduce((s, e) => s + e.input_tokens, 0),
			output_tokens: events.reduce((s, e) => s + e.output_tokens, 0),
			cost: events.reduce((s, e) => s + cost(e), 0)
		});
		expect(stats.body.days.map((d: { day: string; requests: number }) => [d.day, d.requests])).toEqual([
			['2026-01-10', 350],
			['2026-01-11', 350],
			['2026-01-12', 350]
		]);
		const perModel = Object.fromEntries(stats.body.models.map((m: { model: string; requests: number; cost: number }) => [m.model, [m.requests, m.cost]]));
		expect(perModel[b.code]).toEqual([350, events.filter((e) => e.model === b.code).reduce((s, e) => s + cost(e), 0)]);
		expect(perModel[a.code]).toEqual([700, events.filter((e) => e.model === a.code).reduce((s, e) => s + cost(e), 0)]);
		expect((await call('GET', `/user/external/${id}/stats?from=2026-01-11&to=2026-01-11`)).body.total.requests).toBe(350);

		const seen: Array<{ id: number; occurred_at: string }> = [];
		let cursor: number | null = null;
		let pages = 0;
		do {
			const page: { status: number; body: { records: Array<{ id: number; occurred_at: string }>; next_cursor: number | null } } = await call(
				'GET',
				`/user/external/${id}/logs?limit=200${cursor ? `&cursor=${cursor}` : ''}`
			);
			expect(page.status).toBe(200);
			seen.push(...page.body.records);
			cursor = page.body.next_cursor;
			pages++;
		} while (cursor !== null);
		expect(pages).toBe(6);
		expect(seen).toHaveLength(1_050);
		expect(new Set(seen.map((r) => r.id)).size).toBe(1_050);
		for (let i = 1; i < seen.length; i++) {
			const [p, c] = [seen[i - 1], seen[i]];
			expect(p.occurred_at > c.occurred_at || (p.occurred_at === c.occurred_at && p.id > c.id)).toBe(true);
		}
		const filtered = await call('GET', `/user/external/${id}/logs?model=${b.code}&from=2026-01-12&to=2026-01-12&limit=500`);
		expect(filtered.body.records).toHaveLength(events.filter((e, i) => e.model === b.code && i % 3 === 2).length);
	});
});

describe('external users: balance capacity', () => {
	it('is exact against prices, lists featured models first, leaves unpriced ones out and counts them; runway without history is null', async () => {
		const id = newId();
		expect((await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'wechat' })).body.created).toBe(true);
		const chat = await makeModel(t.db, 2_000, 8_000, `deepseek-chat-${id}`);
		const other = await makeModel(t.db, 3_000, 9_000, `aaa-${id}`);
		await t.db.execute(sql`insert into models (code, provider, display_name) values (${'unpriced-' + id}, 'x', 'x')`);
		expect(await callerFor(t.db, platformOwner).capacity.setFeatured({ models: [chat.code] })).toEqual([chat.code]);

		const res = await call('GET', `/user/external/${id}/balance-capacity`);
		expect(res.status).toBe(200);
		const c = res.body;
		expect(c.models_available).toBeGreaterThan(0);
		expect(c.models_unpriced).toBeGreaterThanOrEqual(1);
		expect(c.models.some((m: { model: string }) => m.model.startsWith('unpriced-'))).toBe(false);
		expect(c.models[0].model).toBe(chat.code);
		expect(c.available_credits).toBe(WELCOME);
		expect(c.runway_days).toBeNull();
		const m = c.models[0];
		expect(m).toMatchObject({ featured: true, input_tokens: 25_000_000, output_tokens: 6_250_000, mix: { input: 3, output: 1, from_history: false } });
		// The most tokens that cost no more than the balance, one more costs more.
		expect(tokenCost(m.input_tokens, 0, { inputPrice: 2_000, outputPrice: 8_000 })).toBeLessThanOrEqual(WELCOME);
		expect(tokenCost(m.input_tokens + 1, 0, { inputPrice: 2_000, outputPrice: 8_000 })).toBeGreaterThan(WELCOME);
		// 3:1 blended price (3×2000 + 8000)/4 = 3500 per 1M.
		expect(m.mixed_tokens).toBe(Math.floor((WELCOME * 1_000_000) / 3_500));
		const o = c.models.find((x: { model: string }) => x.model === other.code);
		expect(o).toMatchObject({ featured: false, input_tokens: Math.floor((WELCOME * 1_000_000) / 3_000), output_tokens: Math.floor((WELCOME * 1_000_000) / 9_000) });
	});

	it('uses the user’s own mix over 30 days and the runway from the last 7 days’ spending', async () => {
		const id = newId();
		const synced = (await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'wechat' })).body;
		const model = await makeModel(t.db, 1_000_000, 3_000_000);
		const today = Date.now();
		// 7 days × one event of 1,000 in + 1,000 out = 4,000 credits each: 28,000 over 7 days.
		await reportUsage(
			synced.user_id,
			Array.from({ length: 7 }, (_, d) => ({ model: model.code, input_tokens: 1_000, output_tokens: 1_000, occurred_at: new Date(today - d * 86_400_000).toISOString() }))
		);
		const c = (await call('GET', `/user/external/${id}/balance-capacity`)).body;
		const available = WELCOME - 28_000;
		expect(c.available_credits).toBe(available);
		expect(c.spend_7d).toBe(28_000);
		expect(c.runway_days).toBe(Math.floor((available * 7) / 28_000));
		const m = c.models.find((x: { model: string }) => x.model === model.code);
		expect(m.mix).toEqual({ input: 7_000, output: 7_000, from_history: true });
		expect(m.mixed_tokens).toBe(Math.floor((available * 1_000_000 * 2) / 4_000_000));

		const mine = await callerFor(t.db, { id: synced.user_id, email: 'x', name: 'x', role: 'user', locale: 'en' }).capacity.mine();
		expect(mine.runway_days).toBe(c.runway_days);
		expect(mine.models).toEqual(c.models);
		const rest = await call('GET', '/v1/wallet/capacity', undefined, { user: { id: synced.user_id, email: 'x', name: 'x', role: 'user', locale: 'en' }, key: null });
		expect(rest.status).toBe(200);
		expect(rest.body).toMatchObject({ available_credits: available, runway_days: c.runway_days, models_available: c.models_available });
	});
});

describe('external users: bad input and authorization change nothing', () => {
	it('answers typed 4xx and writes nothing', async () => {
		const id = newId();
		await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms' });
		const before = await written();
		const cases: Array<[string, string, unknown, number, string?]> = [
			['GET', `/user/external/nobody-${id}`, undefined, 404, 'external_user_not_found'],
			['GET', `/user/external/nobody-${id}/stats`, undefined, 404, 'external_user_not_found'],
			['POST', '/user/external/topup', { external_user_id: `nobody-${id}`, amount_usd: 1, payment_id: 'p1' }, 404, 'external_user_not_found'],
			['POST', '/user/external/token', { external_user_id: `nobody-${id}` }, 404, 'external_user_not_found'],
			['GET', '/user/external/bad%20id%21', undefined, 400],
			['POST', '/user/external/sync', { external_user_id: 'a/b c', login_type: 'sms' }, 400],
			['POST', '/user/external/sync', { external_user_id: 'x'.repeat(101), login_type: 'sms' }, 400],
			['POST', '/user/external/sync', { external_user_id: 123, login_type: 'sms' }, 400],
			['POST', '/user/external/sync', { external_user_id: newId(), login_type: 'github' }, 400],
			['POST', '/user/external/sync', { external_user_id: newId() }, 400],
			['POST', '/user/external/sync', { external_user_id: newId(), login_type: 'sms', external_data: { blob: 'x'.repeat(1_000_000) } }, 400],
			['POST', '/user/external/sync', { external_user_id: newId(), login_type: 'sms', external_data: { blob: 'x'.repeat(1_100_000) } }, 413],
			['POST', '/user/external/sync', { external_user_id: newId(), login_type: 'sms', external_data: [1, 2] }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: 0, payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: '0.00', payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: -5, payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: 10.005, payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: '1.234', payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: null, payment_id: 'p2' }, 400],
			['POST', '/user/external/topup', { external_user_id: id, amount_usd: 1 }, 400],
			['POST', '/user/external/token', { external_user_id: id, expires_in_days: 0 }, 400],
			['POST', '/user/external/token', { external_user_id: id, expires_in_days: '30' }, 400],
			['GET', `/user/external/${id}/logs?limit=0`, undefined, 400],
			['GET', `/user/external/${id}/logs?cursor=abc`, undefined, 400],
			['GET', `/user/external/${id}/stats?from=2026-02-30`, undefined, 400]
		];
		for (const [method, path, body, status, message] of cases) {
			const res = await call(method, path, body);
			expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 100)} → ${JSON.stringify(res.body).slice(0, 200)}`).toBe(status);
			if (message) expect(res.body.message).toBe(message);
		}
		expect(await written()).toEqual(before);
	});

	it('needs the users:sync scope: a user’s own key, another scope or no sign-in are refused', async () => {
		const id = newId();
		const plain = await makeUser(t.db);
		const own = await createApiKey(t.db, plain.id, { name: 'mine' });
		const before = await written();
		const who = [
			{ user: plain, key: { id: own.id, scopes: [] } },
			{ user: plain, key: { id: own.id, scopes: ['usage:write'] } },
			{ user: plain, key: null }
		];
		for (const as of who) {
			expect((await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms' }, as)).status).toBe(403);
			expect((await call('POST', '/user/external/topup', { external_user_id: id, amount_usd: 1, payment_id: id }, as)).status).toBe(403);
			expect((await call('GET', `/user/external/${id}`, undefined, as)).status).toBe(403);
		}
		expect((await call('POST', '/user/external/sync', { external_user_id: id, login_type: 'sms' }, { user: null, key: null })).status).toBe(401);
		expect(await written()).toEqual(before);
	});
});

describe('one OpenAPI document, every path where it is served', () => {
	it('has the server <origin>/api, v1 paths under /v1 and the external paths at the requirement doc’s paths', async () => {
		const doc = openApiDocument('https://tally.example');
		expect(doc.servers).toEqual([{ url: 'https://tally.example/api' }]);
		const paths = Object.keys(doc.paths ?? {});
		for (const p of ['/user/external/sync', '/user/external/topup', '/user/external/token', '/user/external/{external_user_id}', '/user/external/{external_user_id}/stats', '/user/external/{external_user_id}/logs', '/user/external/{external_user_id}/balance-capacity', '/v1/wallet/capacity', '/v1/usage', '/v1/me']) {
			expect(paths, p).toContain(p);
		}
		expect(paths.filter((p) => !p.startsWith('/v1/') && !p.startsWith('/user/external/'))).toEqual([]);
		// The requirement doc's paths answer only where the document says.
		expect((await call('POST', '/v1/user/external/sync', { external_user_id: 'x', login_type: 'sms' })).status).toBe(404);
		expect((await call('GET', '/me')).status).toBe(404);
		expect((await call('GET', '/v1/me')).status).toBe(200);
	});
});
