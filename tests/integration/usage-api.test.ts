import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ledgerEntries } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { balanceOfUser, counts, makeModel } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
let rid = 0;
const nextId = (p = 'api') => `${p}-${process.pid}-${rid++}`;

beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000, CREDIT_LIMIT: 0 }));

async function serviceCaller() {
	const admin = await makeUser(t.db, { role: 'admin' });
	// A platform gateway's key bills any user, so its owner is a service account.
	const owner = await makeUser(t.db, { role: 'service' });
	const key = await createApiKey(t.db, owner.id, { name: 'gateway', scopes: ['usage:write'] });
	return { admin, owner, key, caller: callerFor(t.db, owner, { apiKey: { id: key.id, scopes: key.scopes } }) };
}

describe('POST /usage authorization', () => {
	it('a plain user key or session cannot post usage or authorize; a usage:write key and an admin can', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const plainKey = await createApiKey(t.db, user.id, { name: 'mine' });
		const event = { request_id: nextId(), user_id: user.id, model: model.code, input_tokens: 10, output_tokens: 10 };
		const before = await counts(t.db);
		await expectCode(callerFor(t.db, user, { apiKey: { id: plainKey.id, scopes: [] } }).usage.report(event), 'FORBIDDEN');
		await expectCode(callerFor(t.db, user).usage.report(event), 'FORBIDDEN');
		await expectCode(callerFor(t.db, null).usage.report(event), 'UNAUTHORIZED');
		await expectCode(callerFor(t.db, user).usage.authorize({ user_id: user.id, model: model.code }), 'FORBIDDEN');
		expect(await counts(t.db)).toEqual(before);

		const { caller, admin } = await serviceCaller();
		const res = await caller.usage.report(event);
		expect(res).toMatchObject({ settled: 1, duplicates: 0, rejected: 0, results: [{ request_id: event.request_id, status: 'settled', cost: 1 }] });
		const again = await callerFor(t.db, admin).usage.report({ events: [event] });
		expect(again).toMatchObject({ settled: 0, duplicates: 1 });
	});

	it('api_key_id bills the key owner; a batch answers per event; a bad single event is a typed error', async () => {
		const { caller } = await serviceCaller();
		const user = await makeUser(t.db);
		const userKey = await createApiKey(t.db, user.id, { name: 'app' });
		const model = await makeModel(t.db, 1_000_000, 2_000_000);
		const res = await caller.usage.report({
			events: [
				{ request_id: nextId(), api_key_id: userKey.id, model: model.code, input_tokens: 3, output_tokens: 4 },
				{ request_id: nextId(), user_id: user.id, model: 'nope', input_tokens: 3, output_tokens: 4 },
				{ request_id: nextId(), user_id: user.id, model: 'workflow', cost: 50, metadata: { step: 'ocr' } }
			]
		});
		expect(res.results.map((r) => r.reason ?? r.cost)).toEqual([11, 'unknown_model', 50]);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000_000 - 61);

		await expectCode(caller.usage.report({ request_id: nextId(), user_id: user.id, model: 'nope', input_tokens: 1, output_tokens: 1 }), 'BAD_REQUEST', 'unknown_model');
		await expectCode(caller.usage.report({ request_id: nextId(), user_id: 987654, model: model.code, input_tokens: 1, output_tokens: 1 }), 'BAD_REQUEST', 'unknown_user');
	});

	it('malformed events and an oversized batch are refused by the schema, with nothing written', async () => {
		const { caller } = await serviceCaller();
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const good = { request_id: nextId(), user_id: user.id, model: model.code, input_tokens: 1, output_tokens: 1 };
		const before = await counts(t.db);
		const bad: unknown[] = [
			{ ...good, input_tokens: -1 },
			{ ...good, output_tokens: 1e12 },
			{ ...good, input_tokens: 1.5 },
			{ ...good, user_id: undefined },
			{ ...good, api_key_id: 3 },
			{ ...good, output_tokens: undefined },
			{ ...good, request_id: '' },
			{ ...good, request_id: 'line\nbreak' },
			{ events: [] },
			{ events: Array.from({ length: 1001 }, (_, i) => ({ ...good, request_id: `${good.request_id}-${i}` })) }
		];
		for (const input of bad) await expectCode(caller.usage.report(input as never), 'BAD_REQUEST');
		expect(await counts(t.db)).toEqual(before);
	});
});

describe('balance and summary', () => {
	it('are the caller’s own, from the roll-up', async () => {
		const { caller } = await serviceCaller();
		const user = await makeUser(t.db);
		const other = await makeUser(t.db);
		await caller.usage.report({
			events: [
				{ request_id: nextId(), user_id: user.id, model: 'job', input_tokens: 100, output_tokens: 20, cost: 400 },
				{ request_id: nextId(), user_id: user.id, model: 'job', input_tokens: 5, output_tokens: 1, cost: 100, occurred_at: new Date(Date.now() - 40 * 86_400_000).toISOString() },
				{ request_id: nextId(), user_id: other.id, model: 'job', cost: 999 }
			]
		});
		const mine = callerFor(t.db, user);
		expect(await mine.usage.balance()).toEqual({ token_balance: 1_000_000 - 500, in_arrears: false, allowances: [], allowance_resets_at: null });
		const summary = await mine.usage.summary();
		expect(summary.today).toEqual({ requests: 1, input_tokens: 100, output_tokens: 20, total_tokens: 120, cost: 400 });
		expect(summary.all_time).toMatchObject({ requests: 2, input_tokens: 105, cost: 500 });
		expect(summary.token_balance).toBe(1_000_000 - 500);
		await expectCode(callerFor(t.db, null).usage.balance(), 'UNAUTHORIZED');
	});
});

describe('admin adjustments', () => {
	it('are idempotent, record the actor and reason, never create arrears, and are admin-only', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const a = callerFor(t.db, admin);
		const key = nextId('adj');
		const first = await a.admin.adjustCredits({ user_id: user.id, amount: 5000, reason: '补偿 compensation', idempotency_key: key });
		const retry = await a.admin.adjustCredits({ user_id: user.id, amount: 5000, reason: '补偿 compensation', idempotency_key: key });
		expect(first).toMatchObject({ amount: 5000, balance_after: 1_005_000, duplicate: false });
		expect(retry).toEqual({ ...first, duplicate: true });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_005_000);
		const [entry] = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, first.entry_id));
		expect(entry).toMatchObject({ kind: 'adjustment', actorUserId: admin.id, memo: '补偿 compensation' });

		await expectCode(a.admin.adjustCredits({ user_id: user.id, amount: 7, reason: 'x', idempotency_key: key }), 'CONFLICT', 'idempotency_key_reused');
		await expectCode(a.admin.adjustCredits({ user_id: user.id, amount: -2_000_000, reason: 'too much', idempotency_key: nextId() }), 'BAD_REQUEST', 'insufficient_funds');
		await expectCode(a.admin.adjustCredits({ user_id: 999_999, amount: 1, reason: 'x', idempotency_key: nextId() }), 'NOT_FOUND', 'user_not_found');
		await expectCode(a.admin.adjustCredits({ enterprise_id: 999_999, amount: 1, reason: 'x', idempotency_key: nextId() }), 'NOT_FOUND', 'enterprise_not_found');
		await expectCode(a.admin.adjustCredits({ user_id: user.id, amount: 0.5, reason: 'x', idempotency_key: nextId() }), 'BAD_REQUEST');
		await expectCode(a.admin.adjustCredits({ user_id: user.id, enterprise_id: 1, amount: 1, reason: 'x', idempotency_key: nextId() }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, user).admin.adjustCredits({ user_id: user.id, amount: 1, reason: 'x', idempotency_key: nextId() }), 'FORBIDDEN');
		const { caller: service } = await serviceCaller();
		await expectCode(service.admin.adjustCredits({ user_id: user.id, amount: 1, reason: 'x', idempotency_key: nextId() }), 'FORBIDDEN');
		expect(await balanceOfUser(t.db, user.id)).toBe(1_005_000);
	});
});

describe('models and prices', () => {
	it('admins create a model, add a new price row and deactivate; anyone signed in lists current prices', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const a = callerFor(t.db, admin);
		const code = nextId('m');
		const created = await a.admin.setModelPrice({ model: code, provider: 'openai', display_name: 'M', input_price: 25_000, output_price: 100_000, effective_from: '2024-01-01T00:00:00Z' });
		expect(created.created).toBe(true);
		const later = await a.admin.setModelPrice({ model: code, provider: 'openai', input_price: 20_000, output_price: 80_000, effective_from: '2025-01-01T00:00:00Z' });
		expect(later).toMatchObject({ model_id: created.model_id, created: false });
		await expectCode(a.admin.setModelPrice({ model: code, provider: 'openai', input_price: 1, output_price: 1, effective_from: '2025-01-01T00:00:00Z' }), 'CONFLICT', 'price_exists_for_date');
		await expectCode(a.admin.setModelPrice({ model: code, provider: 'openai', input_price: -1, output_price: 1 }), 'BAD_REQUEST');

		const listed = (await callerFor(t.db, user).usage.models()).find((m) => m.model === code);
		expect(listed).toMatchObject({ input_price: 20_000, output_price: 80_000, display_name: 'M', active: true });
		const history = await a.admin.priceHistory({ model_id: created.model_id });
		expect(history.prices.map((p) => p.input_price)).toEqual([20_000, 25_000]);

		await expectCode(callerFor(t.db, user).admin.setModelPrice({ model: code, provider: 'x', input_price: 1, output_price: 1 }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, user).admin.setModelActive({ model_id: created.model_id, active: false }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, user).admin.models(), 'FORBIDDEN');
		await expectCode(callerFor(t.db, null).usage.models(), 'UNAUTHORIZED');

		await a.admin.setModelActive({ model_id: created.model_id, active: false });
		expect((await callerFor(t.db, user).usage.models()).some((m) => m.model === code)).toBe(false);
		expect((await a.admin.models()).find((m) => m.model === code)?.active).toBe(false);
		await expectCode(a.admin.setModelActive({ model_id: 987654, active: false }), 'NOT_FOUND', 'model_not_found');
	});
});
