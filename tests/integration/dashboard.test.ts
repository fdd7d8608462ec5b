import { describe, expect, it, beforeAll, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { enterprises, ledgerEntries, wallets } from '../../src/lib/server/db/schema';
import { createEnterpriseWallet, userWalletId } from '../../src/lib/server/ledger/wallets';
import { postEntry } from '../../src/lib/server/ledger/post';
import { applyDefaultThreshold } from '../../src/lib/server/ledger/alert-threshold';
import { config } from '../../src/lib/server/config';
import { usageCsv, CSV_HEADER } from '../../src/lib/server/usage/csv';
import { addDays, utcDay } from '../../src/lib/server/calendar';
import { openApiDocument } from '../../src/lib/server/trpc/openapi';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { useTestDatabase } from '../helpers/db';
import { parseCsv } from '../helpers/csv';
import { callerFor, makeUser } from '../helpers/callers';
import { insertSettledUsage, type RawUsage } from '../helpers/usage-rows';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;
const MODELS = ['gpt-4o', 'claude-sonnet', 'deepseek-v3'];

/** A small deterministic generator so the fixture is the same on every run. */
function rng(seed: number) {
	let s = seed;
	return (n: number) => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return s % n;
	};
}

type User = Awaited<ReturnType<typeof makeUser>>;
let alice: User;
let bob: User;
let admin: User;
const aliceEvents: RawUsage[] = [];
let enterpriseId: number;
const now = new Date();

beforeAll(async () => {
	// As boot does: the platform default threshold every wallet follows until its owner sets one.
	await applyDefaultThreshold(t.db, config().LOW_BALANCE_CREDITS);
	alice = await makeUser(t.db, { name: 'Alice' });
	bob = await makeUser(t.db, { name: 'Bob' });
	admin = await makeUser(t.db, { role: 'admin', name: 'Root' });
	const [g] = await t.db.insert(enterprises).values({ name: 'Acme, "R&D"' }).returning({ id: enterprises.id });
	enterpriseId = g.id;
	const enterpriseWallet = await createEnterpriseWallet(t.db, enterpriseId);
	await postEntry(t.db, { walletId: enterpriseWallet, amount: 10_000_000, kind: 'adjustment', idempotencyKey: 'fund-acme', actorUserId: admin.id, memo: 'funding' });

	const aliceWallet = await userWalletId(t.db, alice.id);
	const bobWallet = await userWalletId(t.db, bob.id);
	const rand = rng(42);
	for (let i = 0; i < 60; i++) {
		// Spread over the last 40 days so some fall outside the 30-day charts.
		const at = new Date(now.getTime() - rand(40 * 24) * 60 * 60 * 1000 - rand(3600) * 1000);
		const byEnterprise = i % 5 === 0;
		aliceEvents.push({
			requestId: i === 4 ? '=HYPERLINK("x")-4' : `a-${i}${i === 3 ? ',"quoted"\nline' : ''}`,
			userId: alice.id,
			walletId: byEnterprise ? enterpriseWallet : aliceWallet,
			enterpriseId: byEnterprise ? enterpriseId : null,
			model: MODELS[rand(3)],
			inputTokens: rand(5000),
			outputTokens: rand(2000),
			cost: 1 + rand(20_000),
			occurredAt: at
		});
	}
	// Two events at the same instant, to prove pagination breaks ties by id.
	const tie = new Date(now.getTime() - 5 * DAY);
	for (const id of ['tie-1', 'tie-2']) {
		aliceEvents.push({ requestId: id, userId: alice.id, walletId: aliceWallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: 7, occurredAt: tie });
	}
	for (const e of aliceEvents) await insertSettledUsage(t.db, e);
	for (let i = 0; i < 5; i++) {
		await insertSettledUsage(t.db, {
			requestId: `b-${i}`,
			userId: bob.id,
			walletId: bobWallet,
			model: 'secret-model',
			inputTokens: 100,
			outputTokens: 100,
			cost: 50_000,
			occurredAt: new Date(now.getTime() - i * DAY)
		});
	}
});

function sumBy(events: RawUsage[], key: (e: RawUsage) => string) {
	const out = new Map<string, { requests: number; input_tokens: number; output_tokens: number; cost: number }>();
	for (const e of events) {
		const k = key(e);
		const a = out.get(k) ?? { requests: 0, input_tokens: 0, output_tokens: 0, cost: 0 };
		a.requests += 1;
		a.input_tokens += e.inputTokens;
		a.output_tokens += e.outputTokens;
		a.cost += e.cost;
		out.set(k, a);
	}
	return out;
}

describe('dashboard aggregates', () => {
	it('match the raw usage rows: per day and model, top models this month, totals', async () => {
		const o = await callerFor(t.db, alice, { timeZone: 'UTC' }).dashboard.overview({});
		expect(o.time_zone).toBe('UTC');
		const today = utcDay(now);
		expect(o.range).toEqual({ from: addDays(today, -29), to: today });
		const inRange = aliceEvents.filter((e) => utcDay(e.occurredAt) >= o.range.from);
		const expected = sumBy(inRange, (e) => `${utcDay(e.occurredAt)}|${e.model}`);
		expect(o.daily.length).toBe(expected.size);
		for (const d of o.daily) expect({ requests: d.requests, input_tokens: d.input_tokens, output_tokens: d.output_tokens, cost: d.cost }).toEqual(expected.get(`${d.day}|${d.model}`));

		const month = aliceEvents.filter((e) => utcDay(e.occurredAt) >= `${today.slice(0, 7)}-01`);
		const byModel = [...sumBy(month, (e) => e.model)].sort((a, b) => b[1].cost - a[1].cost);
		expect(o.top_models.map((m) => [m.model, m.cost])).toEqual(byModel.map(([m, a]) => [m, a.cost]));
		expect(o.all_time.cost).toBe(aliceEvents.reduce((s, e) => s + e.cost, 0));
		expect(o.all_time.requests).toBe(aliceEvents.length);
		expect(o.month.requests).toBe(month.length);
		expect(o.today.requests).toBe(aliceEvents.filter((e) => utcDay(e.occurredAt) === today).length);

		const [wallet] = await t.db.select().from(wallets).where(eq(wallets.userId, alice.id));
		expect(o.balance).toBe(wallet.balance);
		const personalCost = aliceEvents.filter((e) => !e.enterpriseId).reduce((s, e) => s + e.cost, 0);
		expect(o.balance).toBe(1_000_000 - personalCost);
		expect(o.recent).toHaveLength(10);
	});

	it("counts the chart's days in the viewer's time zone, not UTC", async () => {
		const erin = await makeUser(t.db);
		const wallet = await userWalletId(t.db, erin.id);
		// The same UTC day (23rd), but the 24th 01:30 and the 23rd 23:30 in Beijing.
		const late = new Date('2026-11-23T17:30:00Z');
		const early = new Date('2026-11-23T15:30:00Z');
		await insertSettledUsage(t.db, { requestId: 'tz-late', userId: erin.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 2, cost: 300, occurredAt: late });
		await insertSettledUsage(t.db, { requestId: 'tz-early', userId: erin.id, walletId: wallet, model: 'gpt-4o', inputTokens: 3, outputTokens: 4, cost: 500, occurredAt: early });
		// Only Date is faked (the database's clock and timers stay real): "now" is 10:00 on the 24th in Beijing.
		vi.useFakeTimers({ now: new Date('2026-11-24T02:00:00Z'), toFake: ['Date'] });
		try {
			const beijing = await callerFor(t.db, erin, { timeZone: 'Asia/Shanghai' }).dashboard.overview({});
			expect(beijing.time_zone).toBe('Asia/Shanghai');
			expect(beijing.range).toEqual({ from: '2026-10-26', to: '2026-11-24' });
			expect(beijing.daily.map((d) => [d.day, d.requests, d.input_tokens, d.cost])).toEqual([
				['2026-11-23', 1, 3, 500],
				['2026-11-24', 1, 1, 300]
			]);
			expect(beijing.today.cost).toBe(300);

			const utc = await callerFor(t.db, erin, { timeZone: 'UTC' }).dashboard.overview({});
			expect(utc.daily.map((d) => [d.day, d.requests, d.cost])).toEqual([['2026-11-23', 2, 800]]);
			expect(utc.today.cost).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it('flags arrears and low balance from the wallet balance', async () => {
		const carol = await makeUser(t.db);
		const wallet = await userWalletId(t.db, carol.id);
		let o = await callerFor(t.db, carol).dashboard.overview({});
		expect([o.in_arrears, o.low_balance]).toEqual([false, false]);
		await insertSettledUsage(t.db, { requestId: 'c-1', userId: carol.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: 950_000, occurredAt: new Date() });
		o = await callerFor(t.db, carol).dashboard.overview({});
		expect([o.balance, o.in_arrears, o.low_balance]).toEqual([50_000, false, true]);
		await insertSettledUsage(t.db, { requestId: 'c-2', userId: carol.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: 250_000, occurredAt: new Date() });
		o = await callerFor(t.db, carol).dashboard.overview({});
		expect([o.balance, o.in_arrears, o.low_balance]).toEqual([-200_000, true, false]);
	});

	it('warns of a low balance at the threshold the user set, not the platform default; 0 turns the warning off', async () => {
		const dora = await makeUser(t.db);
		const wallet = await userWalletId(t.db, dora.id);
		const caller = callerFor(t.db, dora);
		await insertSettledUsage(t.db, { requestId: 'd-1', userId: dora.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: 700_000, occurredAt: new Date() });
		let o = await caller.dashboard.overview({});
		// 300,000 left: above the platform default (100,000), so no warning yet.
		expect([o.balance, o.low_balance, o.low_balance_threshold]).toEqual([300_000, false, 100_000]);
		await caller.alerts.updateSettings({ threshold: 500_000, webhookUrl: null, emailEnabled: false });
		o = await caller.dashboard.overview({});
		expect([o.low_balance, o.low_balance_threshold]).toEqual([true, 500_000]);
		await caller.alerts.updateSettings({ threshold: 200_000, webhookUrl: null, emailEnabled: false });
		o = await caller.dashboard.overview({});
		expect([o.low_balance, o.low_balance_threshold]).toEqual([false, 200_000]);
		await insertSettledUsage(t.db, { requestId: 'd-2', userId: dora.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: 250_000, occurredAt: new Date() });
		await caller.alerts.updateSettings({ threshold: 0, webhookUrl: null, emailEnabled: false });
		o = await caller.dashboard.overview({});
		expect([o.balance, o.low_balance, o.low_balance_threshold]).toEqual([50_000, false, 0]);
		await caller.alerts.updateSettings({ threshold: null, webhookUrl: null, emailEnabled: false });
		o = await caller.dashboard.overview({});
		expect([o.low_balance, o.low_balance_threshold]).toEqual([true, 100_000]);
	});

	it('gives admins platform totals per day and per model, and the heaviest users', async () => {
		const p = await callerFor(t.db, admin).dashboard.platform({ days: 30 });
		const total = p.daily.reduce((s, d) => s + d.cost, 0);
		expect(p.totals.cost).toBe(total);
		expect(p.models.reduce((s, m) => s + m.cost, 0)).toBe(total);
		expect(p.models.map((m) => m.model)).toContain('secret-model');
		expect(p.top_users.find((u) => u.user_id === bob.id)?.cost).toBe(250_000);
		const found = await callerFor(t.db, admin).dashboard.findUsers({ q: 'Alice' });
		expect(found.map((u) => u.id)).toContain(alice.id);
	});
});

describe('usage log', () => {
	const sorted = () => [...aliceEvents].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());

	it('pages newest first through every row exactly once, ties included', async () => {
		const seen: string[] = [];
		let after: number | undefined;
		for (let guard = 0; guard < 20; guard++) {
			const page = await callerFor(t.db, alice).dashboard.records({ limit: 7, after });
			seen.push(...page.records.map((r) => r.request_id));
			if (page.next_cursor === null) break;
			after = page.next_cursor;
		}
		expect(seen).toHaveLength(aliceEvents.length);
		expect(new Set(seen).size).toBe(aliceEvents.length);
		const times = sorted().map((e) => e.occurredAt.getTime());
		const byId = new Map(aliceEvents.map((e) => [e.requestId, e.occurredAt.getTime()]));
		expect(seen.map((id) => byId.get(id))).toEqual(times);
	});

	it('filters by inclusive UTC day range and model, and names the payer', async () => {
		const from = addDays(utcDay(now), -10);
		const to = addDays(utcDay(now), -3);
		const page = await callerFor(t.db, alice).dashboard.records({ from, to, model: 'gpt-4o', limit: 200 });
		const expected = aliceEvents.filter((e) => e.model === 'gpt-4o' && utcDay(e.occurredAt) >= from && utcDay(e.occurredAt) <= to);
		expect(page.records.map((r) => r.request_id).sort()).toEqual(expected.map((e) => e.requestId).sort());
		const all = await callerFor(t.db, alice).dashboard.records({ limit: 200 });
		const enterprisePaid = all.records.filter((r) => r.paid_by.type === 'enterprise');
		expect(enterprisePaid.length).toBe(aliceEvents.filter((e) => e.enterpriseId).length);
		expect(enterprisePaid.every((r) => r.paid_by.enterprise_name === 'Acme, "R&D"')).toBe(true);
	});

	it('rejects a bad filter with a typed error', async () => {
		await expectCode(callerFor(t.db, alice).dashboard.records({ from: '2026-02-30' }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, alice).dashboard.records({ from: '2026-03-02', to: '2026-03-01' }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, alice).dashboard.records({ limit: 5000 }), 'BAD_REQUEST');
	});
});

describe('CSV export', () => {
	it('has a header, escapes quotes, commas and newlines, defuses formulas, and covers the filtered set', async () => {
		const out = await callerFor(t.db, alice).dashboard.exportCsv({ model: 'gpt-4o' });
		const rows = parseCsv(out.csv);
		expect(rows[0]).toEqual([...CSV_HEADER]);
		const expected = aliceEvents.filter((e) => e.model === 'gpt-4o');
		expect(rows.length - 1).toBe(expected.length);
		expect(out.rows).toBe(expected.length);
		expect(out.truncated).toBe(false);
		expect(rows.slice(1).every((r) => r.length === CSV_HEADER.length && r[2] === 'gpt-4o')).toBe(true);

		const all = parseCsv((await callerFor(t.db, alice).dashboard.exportCsv({})).csv);
		const ids = all.slice(1).map((r) => r[1]);
		expect(ids).toContain('a-3,"quoted"\nline');
		expect(ids).toContain(`'=HYPERLINK("x")-4`);
		expect(ids.some((id) => id.startsWith('='))).toBe(false);
		const byId = new Map(aliceEvents.map((e) => [e.requestId, e]));
		for (const r of all.slice(1)) {
			const e = byId.get(r[1].replace(/^'=/, '='))!;
			expect(Number(r[5])).toBe(e.cost);
			expect(r[7]).toBe(e.enterpriseId ? 'Acme, "R&D"' : 'personal');
		}
	});

	it('stops at the cap and says so', async () => {
		const capped = await usageCsv(t.db, { userId: alice.id }, { creditsPerUnit: 10_000, currency: 'CNY' }, 11);
		expect(capped.rows).toBe(11);
		expect(capped.truncated).toBe(true);
		expect(capped.csv.split('\r\n').filter(Boolean)).toHaveLength(12);
	});
});

describe('wallet history', () => {
	it('lists every entry newest first with balance_after chaining to the balance, and the actor', async () => {
		const entries = [];
		let before: number | undefined;
		for (let guard = 0; guard < 20; guard++) {
			const page = await callerFor(t.db, alice).dashboard.walletHistory({ limit: 9, before });
			entries.push(...page.entries);
			if (page.next_cursor === null) break;
			before = page.next_cursor;
		}
		const wallet = await userWalletId(t.db, alice.id);
		const stored = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.walletId, wallet));
		expect(entries).toHaveLength(stored.length);
		expect(entries.map((e) => e.id)).toEqual(stored.map((e) => e.id).sort((a, b) => b - a));
		const [{ balance }] = await t.db.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, wallet));
		expect(entries[0].balance_after).toBe(balance);
		for (let i = 0; i < entries.length - 1; i++) expect(entries[i].balance_after - entries[i].amount).toBe(entries[i + 1].balance_after);
		const oldest = entries[entries.length - 1];
		expect([oldest.kind, oldest.amount]).toEqual(['welcome', 1_000_000]);

		const enterprise = await callerFor(t.db, admin).dashboard.walletHistory({ enterprise_id: enterpriseId, limit: 200 });
		const funding = enterprise.entries.find((e) => e.kind === 'adjustment');
		expect([funding?.amount, funding?.actor_name, funding?.memo]).toEqual([10_000_000, 'Root', 'funding']);
	});
});

describe('authorization', () => {
	it('refuses a user reading another user’s usage or wallet, and non-admins the platform views', async () => {
		const asBob = callerFor(t.db, bob);
		await expectCode(asBob.dashboard.overview({ user_id: alice.id }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.records({ user_id: alice.id }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.exportCsv({ user_id: alice.id }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.usedModels({ user_id: alice.id }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.walletHistory({ user_id: alice.id }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.walletHistory({ enterprise_id: enterpriseId }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.platform({ days: 30 }), 'FORBIDDEN');
		await expectCode(asBob.dashboard.findUsers({ q: '' }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, null).dashboard.overview({}), 'UNAUTHORIZED');
		await expectCode(callerFor(t.db, null).dashboard.records({}), 'UNAUTHORIZED');

		const own = await asBob.dashboard.records({ limit: 200 });
		expect(own.records.every((r) => r.request_id.startsWith('b-'))).toBe(true);
		expect(await asBob.dashboard.usedModels({})).toEqual(['secret-model']);
		// A cursor from someone else's log moves nothing: the position is looked up among your own rows only.
		const aliceFirst = await callerFor(t.db, alice).dashboard.records({ limit: 1 });
		expect((await asBob.dashboard.records({ after: aliceFirst.records[0].id })).records).toEqual([]);
	});

	it('lets a platform admin read any user, and answers not found for a missing one', async () => {
		const asAdmin = callerFor(t.db, admin);
		const o = await asAdmin.dashboard.overview({ user_id: alice.id });
		expect(o.user.id).toBe(alice.id);
		expect((await asAdmin.dashboard.records({ user_id: bob.id, limit: 200 })).records).toHaveLength(5);
		expect((await asAdmin.dashboard.walletHistory({ user_id: bob.id })).entries.length).toBe(6);
		await expectCode(asAdmin.dashboard.overview({ user_id: 999_999 }), 'NOT_FOUND');
	});
});

describe('with the real settlement path', () => {
	it('reads back exactly what settleUsage wrote: roll-up equals the raw records', async () => {
		const dave = await makeUser(t.db);
		const events = Array.from({ length: 40 }, (_, i) => ({
			requestId: `settled-${dave.id}-${i}`,
			userId: dave.id,
			model: ['explicit-a', 'explicit-b'][i % 2],
			inputTokens: 10 * i,
			outputTokens: 3 * i,
			cost: 1_000 + i,
			occurredAt: new Date(now.getTime() - (i % 4) * DAY)
		}));
		const results = await settleUsage(t.db, events);
		expect(results.every((r) => r.status === 'settled')).toBe(true);
		const o = await callerFor(t.db, dave).dashboard.overview({});
		// The chart's days are the viewer's (BILLING_TIMEZONE here, no cookie), not UTC's: from 16:00 UTC on they differ in Asia/Shanghai.
		const raw = await t.sql<{ day: string; model: string; n: string; cost: string }[]>`
			select (occurred_at at time zone ${config().BILLING_TIMEZONE})::date::text as day, model, count(*) as n, sum(cost) as cost
			from usage_records where user_id = ${dave.id} group by 1, 2 order by 1, 2`;
		expect(o.daily.map((d) => [d.day, d.model, d.requests, d.cost])).toEqual(raw.map((r) => [r.day, r.model, Number(r.n), Number(r.cost)]));
		expect(o.balance).toBe(1_000_000 - events.reduce((s, e) => s + e.cost, 0));
		const log = await callerFor(t.db, dave).dashboard.records({ limit: 200 });
		expect(log.records).toHaveLength(40);
		expect(log.records.every((r) => r.paid_by.type === 'personal')).toBe(true);
	});
});

describe('REST', () => {
	it('documents GET /usage/records and GET /wallet/entries', () => {
		const doc = openApiDocument('http://x');
		expect(doc.paths?.['/v1/usage/records']?.get).toBeDefined();
		expect(doc.paths?.['/v1/wallet/entries']?.get).toBeDefined();
	});
});

describe('usage log filters and totals', () => {
	const sum = (events: RawUsage[]) => ({
		requests: events.length,
		input_tokens: events.reduce((s, e) => s + e.inputTokens, 0),
		output_tokens: events.reduce((s, e) => s + e.outputTokens, 0),
		cost: events.reduce((s, e) => s + e.cost, 0)
	});

	it('totals cover every record the filters match, not only the page', async () => {
		const page = await callerFor(t.db, alice).dashboard.records({ limit: 5 });
		expect(page.records).toHaveLength(5);
		expect(page.totals).toEqual(sum(aliceEvents));
		const gpt = await callerFor(t.db, alice).dashboard.records({ model: 'gpt-4o', limit: 1 });
		expect(gpt.totals).toEqual(sum(aliceEvents.filter((e) => e.model === 'gpt-4o')));
	});

	it('filters by who paid: the own wallet or one enterprise', async () => {
		const personal = await callerFor(t.db, alice).dashboard.records({ personal_only: true, limit: 200 });
		expect(personal.totals).toEqual(sum(aliceEvents.filter((e) => !e.enterpriseId)));
		expect(personal.records.every((r) => r.paid_by.type === 'personal')).toBe(true);
		const byEnterprise = await callerFor(t.db, alice).dashboard.records({ payer_enterprise_id: enterpriseId, limit: 200 });
		expect(byEnterprise.totals).toEqual(sum(aliceEvents.filter((e) => e.enterpriseId === enterpriseId)));
		expect(byEnterprise.records.every((r) => r.paid_by.type === 'enterprise')).toBe(true);
	});

	it('filters by API key: none of the fixture was reported with a key', async () => {
		const none = await callerFor(t.db, alice).dashboard.records({ api_key_id: 1, limit: 10 });
		expect(none.records).toEqual([]);
		expect(none.totals.requests).toBe(0);
	});

	it('the CSV is named by its date range, takes the reader’s column names, and gives cost as a number', async () => {
		const header = ['时间', '请求 ID', '模型', '输入 Token', '输出 Token', '费用（积分）', '费用（CNY）', '付款方', '图片', '额度抵扣', '余额支付'];
		const out = await callerFor(t.db, alice).dashboard.exportCsv({ from: '2026-01-01', to: '2026-12-31', header, personal_label: '个人' });
		expect(out.filename).toBe('usage-2026-01-01_to_2026-12-31.csv');
		const rows = parseCsv(out.csv);
		expect(rows[0]).toEqual(header);
		for (const r of rows.slice(1)) {
			expect(r[6]).toMatch(/^\d+(\.\d+)?$/);
			expect(Math.round(Number(r[6]) * 10_000)).toBe(Number(r[5]));
			expect(['个人', 'Acme, "R&D"']).toContain(r[7]);
		}
	});
});
