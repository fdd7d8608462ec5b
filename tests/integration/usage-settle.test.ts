import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { connect } from '../../src/lib/server/db/client';
import { ledgerEntries, usageDaily, usageRecords } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { adjustWallet } from '../../src/lib/server/ledger/adjust';
import { setModelActive, setModelPrice } from '../../src/lib/server/usage/models';
import { settleUsage, type UsageEvent } from '../../src/lib/server/usage/settle';
import { authorizeUsage } from '../../src/lib/server/usage/authorize';
import { userBalance } from '../../src/lib/server/usage/summary';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { balanceOfUser, counts, makeModel } from '../helpers/usage';

const t = useTestDatabase();
const WELCOME = 1_000_000;
let rid = 0;
const nextId = (p = 'r') => `${p}-${process.pid}-${rid++}`;

beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: WELCOME, CREDIT_LIMIT: 0, USAGE_SETTLE_MODE: 'batch' }));

describe('pricing in settlement', () => {
	it('bills ceil((in×inPrice + out×outPrice)/1e6), an explicit cost as given, with the usage record, entry and roll-up', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 25_000, 100_000);
		const [a, b] = await settleUsage(t.db, [
			{ requestId: nextId(), userId: user.id, model: model.code, inputTokens: 1234, outputTokens: 567 },
			{ requestId: nextId(), userId: user.id, model: 'workflow-step', cost: 4200 }
		]);
		expect(a).toMatchObject({ status: 'settled', cost: 88, balance_after: WELCOME - 88, enterprise_id: null });
		expect(b).toMatchObject({ status: 'settled', cost: 4200, balance_after: WELCOME - 88 - 4200 });
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - 4288);
		const [entry] = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `usage:${a.request_id}`));
		expect(entry).toMatchObject({ amount: -88, kind: 'usage', reference: `usage:${a.request_id}`, walletId: a.payer_wallet_id });
		const [record] = await t.db.select().from(usageRecords).where(eq(usageRecords.requestId, a.request_id));
		expect(record).toMatchObject({ cost: 88, regularUsed: 88, subscriptionUsed: 0, inputTokens: 1234, outputTokens: 567, enterpriseId: null });
		const daily = await t.db.select().from(usageDaily).where(eq(usageDaily.userId, user.id));
		expect(daily.map((d) => [d.model, d.requests, d.cost]).sort()).toEqual([[model.code, 1, 88], ['workflow-step', 1, 4200]].sort());
	});

	it('prices with the row in force at occurred_at and rolls up by the UTC day', async () => {
		const user = await makeUser(t.db);
		const code = nextId('dated');
		await setModelPrice(t.db, { code, provider: 'p', inputPrice: 1_000_000, outputPrice: 0, effectiveFrom: new Date('2026-01-01T00:00:00Z') });
		await setModelPrice(t.db, { code, provider: 'p', inputPrice: 3_000_000, outputPrice: 0, effectiveFrom: new Date('2026-02-01T00:00:00Z') });
		const now = new Date('2026-03-01T00:00:00Z');
		const results = await settleUsage(
			t.db,
			[
				{ requestId: nextId(), userId: user.id, model: code, inputTokens: 10, outputTokens: 0, occurredAt: new Date('2025-12-31T23:59:59Z') },
				{ requestId: nextId(), userId: user.id, model: code, inputTokens: 10, outputTokens: 0, occurredAt: new Date('2026-01-31T23:59:59Z') },
				{ requestId: nextId(), userId: user.id, model: code, inputTokens: 10, outputTokens: 0, occurredAt: new Date('2026-02-01T00:00:00Z') }
			],
			{ now }
		);
		expect(results.map((r) => r.reason ?? r.cost)).toEqual(['model_not_priced', 10, 30]);
		const days = await t.db.select({ day: usageDaily.day, cost: usageDaily.cost }).from(usageDaily).where(eq(usageDaily.userId, user.id));
		expect(days.sort((x, y) => x.day.localeCompare(y.day))).toEqual([
			{ day: '2026-01-31', cost: 10 },
			{ day: '2026-02-01', cost: 30 }
		]);
	});
});

describe('rejections write nothing', () => {
	it('rejects unknown user, unknown/inactive/unpriced model, bad tokens, future time; the good event still settles', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const inactive = await makeModel(t.db);
		await setModelActive(t.db, inactive.id, false);
		const future = nextId('future-priced');
		await setModelPrice(t.db, { code: future, provider: 'p', inputPrice: 5, outputPrice: 5, effectiveFrom: new Date(Date.now() + 86_400_000) });
		const before = await counts(t.db);
		const base = { userId: user.id, model: model.code, inputTokens: 10, outputTokens: 10 };
		const events: UsageEvent[] = [
			{ ...base, requestId: nextId(), userId: 999_999 },
			{ ...base, requestId: nextId(), model: 'no-such-model' },
			{ ...base, requestId: nextId(), model: inactive.code },
			{ ...base, requestId: nextId(), model: future },
			{ ...base, requestId: nextId(), inputTokens: -1 },
			{ ...base, requestId: nextId(), outputTokens: 10_000_001 },
			{ ...base, requestId: nextId(), inputTokens: 1.5 },
			{ ...base, requestId: nextId(), cost: -5 },
			{ ...base, requestId: nextId(), occurredAt: new Date(Date.now() + 10 * 60_000) },
			{ ...base, requestId: nextId(), apiKeyId: 424242, userId: undefined },
			{ ...base, requestId: '' },
			{ ...base, requestId: nextId('good') }
		];
		const results = await settleUsage(t.db, events);
		expect(results.map((r) => r.reason ?? r.status)).toEqual([
			'unknown_user',
			'unknown_model',
			'model_inactive',
			'model_not_priced',
			'invalid_tokens',
			'invalid_tokens',
			'invalid_tokens',
			'invalid_cost',
			'occurred_at_in_future',
			'unknown_api_key',
			'invalid_request_id',
			'settled'
		]);
		const after = await counts(t.db);
		expect(after).toEqual({ records: before.records + 1, entries: before.entries + 1, dailyRequests: before.dailyRequests + 1 });
	});
});

describe('a poisoned event', () => {
	it('fails alone: the batch falls back to one transaction per event and the others settle', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const base = { userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 1000 };
		// PostgreSQL refuses a NUL character in text, so this event passes validation but fails in the database.
		const results = await settleUsage(t.db, [
			{ ...base, requestId: nextId('ok') },
			{ ...base, requestId: `poison-\u0000-${rid++}` },
			{ ...base, requestId: nextId('ok') }
		]);
		expect(results.map((r) => r.reason ?? r.status)).toEqual(['settled', 'settlement_failed', 'settled']);
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - results[0].cost! - results[2].cost!);
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});
});

describe('concurrency', () => {
	it('500 events for one wallet in parallel from several connections: balance = sum, ledger verifies', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000, 3_000);
		const pools = Array.from({ length: 4 }, () => connect(t.url, { max: 4 }));
		try {
			const events = Array.from({ length: 500 }, (_, i) => ({
				requestId: nextId('hot'),
				userId: user.id,
				model: model.code,
				inputTokens: 100 + i * 7,
				outputTokens: 50 + ((i * 13) % 400)
			}));
			const results = (
				await Promise.all(events.map((e, i) => settleUsage(pools[i % pools.length].db, [e])))
			).flat();
			expect(results.every((r) => r.status === 'settled')).toBe(true);
			const expected = events.reduce((s, e) => s + Math.ceil((e.inputTokens * 1_000 + e.outputTokens * 3_000) / 1e6), 0);
			expect(results.reduce((s, r) => s + r.cost!, 0)).toBe(expected);
			expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - expected);
			// each settled answer's balance_after is a distinct point on the wallet's history
			expect(new Set(results.map((r) => r.balance_after)).size).toBe(500);
			const report = await verifyLedger(t.db);
			expect(report.drifts).toEqual([]);
			expect(report.orphanUsage).toBe(0);
			const [daily] = await t.db.execute<{ n: string; c: string }>(
				sql`select sum(requests) as n, sum(cost) as c from usage_daily where user_id = ${user.id}`
			);
			expect([Number(daily.n), Number(daily.c)]).toEqual([500, expected]);
		} finally {
			await Promise.all(pools.map((p) => p.close()));
		}
	});

	it('the same request_id sent 20 times in parallel is billed once; copies answer with the original', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const pools = Array.from({ length: 4 }, () => connect(t.url, { max: 3 }));
		try {
			const event = { requestId: nextId('dup'), userId: user.id, model: model.code, inputTokens: 5000, outputTokens: 700 };
			const results = (await Promise.all(Array.from({ length: 20 }, (_, i) => settleUsage(pools[i % 4].db, [event])))).flat();
			expect(results.filter((r) => r.status === 'settled')).toHaveLength(1);
			expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(19);
			const original = results.find((r) => r.status === 'settled')!;
			for (const r of results) expect({ ...r, status: 'x' }).toEqual({ ...original, status: 'x' });
			const entries = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `usage:${event.requestId}`));
			expect(entries).toHaveLength(1);
			expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - original.cost!);
			const again = await settleUsage(t.db, [event, event]);
			expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
		} finally {
			await Promise.all(pools.map((p) => p.close()));
		}
	});

	it('a wallet locked elsewhere holds up only its own events: other users settle meanwhile, its own later in arrival order', async () => {
		const [a, b] = [await makeUser(t.db), await makeUser(t.db)];
		const model = await makeModel(t.db);
		const event = (user: number) => ({ requestId: nextId('locked'), userId: user, model: model.code, inputTokens: 1000, outputTokens: 100 });
		const other = connect(t.url, { max: 1 });
		const waitingOnLock = async () => {
			for (;;) {
				const [{ n }] = await t.db.execute<{ n: number }>(
					sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
				);
				if (n > 0) return;
				await new Promise((r) => setTimeout(r, 20));
			}
		};
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		let locked!: () => void;
		const isLocked = new Promise<void>((r) => (locked = r));
		// Another transaction (a recharge, an adjustment) holds a's wallet.
		const holder = other.db.transaction(async (tx) => {
			await tx.execute(sql`select id from wallets where user_id = ${a.id} for update`);
			locked();
			await released;
		});
		try {
			await isLocked;
			const first = settleUsage(t.db, [event(a.id)]);
			await waitingOnLock();
			const second = settleUsage(t.db, [event(a.id)]);
			const meanwhile = await Promise.race([settleUsage(t.db, [event(b.id)]), new Promise<'held up'>((r) => setTimeout(() => r('held up'), 10_000))]);
			expect(meanwhile).not.toBe('held up');
			expect(meanwhile).toMatchObject([{ status: 'settled' }]);
			release();
			await holder;
			const [[one], [two]] = await Promise.all([first, second]);
			expect([one.status, two.status]).toEqual(['settled', 'settled']);
			expect(two.balance_after).toBe(one.balance_after! - two.cost!);
		} finally {
			release();
			await holder.catch(() => {});
			await other.close();
		}
	});

	it('a request id repeated inside one batch is settled once', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const e = { requestId: nextId('inbatch'), userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 1000 };
		const results = await settleUsage(t.db, [e, e, e]);
		expect(results.map((r) => r.status)).toEqual(['settled', 'duplicate', 'duplicate']);
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - results[0].cost!);
	});
});

describe('arrears', () => {
	it('100 credits, a 300-credit event → −200, in arrears, and authorize refuses the next request', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		await adjustWallet(t.db, { userId: user.id, amount: 100 - WELCOME, reason: 'test', idempotencyKey: nextId('adj'), actorUserId: admin.id });
		expect(await balanceOfUser(t.db, user.id)).toBe(100);
		const before = await authorizeUsage(t.db, { userId: user.id, model: model.code, estimatedInputTokens: 300 });
		expect(before).toMatchObject({ allowed: true, reason: 'ok', available: 100, estimated_cost: 300 });

		const [r] = await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: 'job', cost: 300 }]);
		expect(r).toMatchObject({ status: 'settled', balance_after: -200 });
		expect(await userBalance(t.db, user.id)).toEqual({ token_balance: -200, in_arrears: true });

		const next = await authorizeUsage(t.db, { userId: user.id, model: model.code, estimatedInputTokens: 10, maxOutputTokens: 10 });
		expect(next).toMatchObject({ allowed: false, reason: 'in_arrears', available: -200, estimated_cost: 20 });
		expect(await authorizeUsage(t.db, { userId: user.id, model: 'unpriced-x' })).toMatchObject({ allowed: false, reason: 'model_not_priced' });

		overrideConfig({ CREDIT_LIMIT: 500 });
		try {
			expect(await authorizeUsage(t.db, { userId: user.id, model: model.code, estimatedInputTokens: 10 })).toMatchObject({ allowed: true });
		} finally {
			overrideConfig({ CREDIT_LIMIT: 0 });
		}
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});
});

describe('enterprise payer', () => {
	it('a funded enterprise pays first (recorded with its enterprise), its member can start requests even in personal arrears, the own wallet pays when the enterprise cannot', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: `g-${rid++}`, description: '' });
		await addMember(t.db, enterprise.id, user.id, admin.id);
		const funded = await adjustWallet(t.db, { enterpriseId: enterprise.id, amount: 1000, reason: 'fund', idempotencyKey: nextId('fund'), actorUserId: admin.id });
		await adjustWallet(t.db, { userId: user.id, amount: -WELCOME, reason: 'empty', idempotencyKey: nextId('empty'), actorUserId: admin.id });
		const model = await makeModel(t.db, 1_000_000, 0);

		const [byEnterprise] = await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, inputTokens: 600, outputTokens: 0 }]);
		expect(byEnterprise).toMatchObject({ status: 'settled', cost: 600, payer_wallet_id: funded.walletId, enterprise_id: enterprise.id, balance_after: 400 });
		const [record] = await t.db.select().from(usageRecords).where(eq(usageRecords.requestId, byEnterprise.request_id));
		expect(record).toMatchObject({ enterpriseId: enterprise.id, walletId: funded.walletId });

		const [byOwn] = await settleUsage(t.db, [{ requestId: nextId(), userId: user.id, model: model.code, inputTokens: 500, outputTokens: 0 }]);
		expect(byOwn).toMatchObject({ status: 'settled', enterprise_id: null, balance_after: -500 });
		expect(await authorizeUsage(t.db, { userId: user.id, model: model.code, estimatedInputTokens: 300 })).toMatchObject({
			allowed: true,
			payer: { wallet_id: funded.walletId, enterprise_id: enterprise.id },
			available: 400
		});
		expect(await authorizeUsage(t.db, { userId: user.id, model: model.code, estimatedInputTokens: 401 })).toMatchObject({ allowed: false, reason: 'in_arrears' });
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});
});
