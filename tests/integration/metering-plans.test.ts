import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import * as schema from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db/client';
import { overrideConfig } from '../../src/lib/server/config';
import { reserveCredit } from '../../src/lib/server/usage/reserve-batch';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { releaseHold } from '../../src/lib/server/ledger/holds';
import { authorizeUsage } from '../../src/lib/server/usage/authorize';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId } from '../../src/lib/server/ledger/wallets';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

// The metering statements run as generic plans, planned once per connection (db/client.ts), and
// their batches come as jsonb the planner sizes at 100 rows. A join of such a batch with a table
// that only grows (holds, hold_events, usage_records, ledger_entries) must look the batch's rows up
// by key: a plan that reads the table instead costs more with every request ever made.
const t = useTestDatabase(4);
const HISTORY = 4_000;
const GROWING = ['holds', 'hold_events', 'usage_records', 'ledger_entries'];

let explained: postgres.Sql;
let db: Db;
const plans: string[] = [];

beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000, CREDIT_LIMIT: 0 });
	// auto_explain prints the plan of every statement, the functions' own statements included, as a notice.
	explained = postgres(t.url, {
		max: 1,
		onnotice: (n) => plans.push(n.message),
		connection: {
			plan_cache_mode: 'force_generic_plan',
			session_preload_libraries: 'auto_explain',
			'auto_explain.log_min_duration': '0',
			'auto_explain.log_nested_statements': 'on',
			'auto_explain.log_level': 'notice',
			// Rows each plan node returned, without timing.
			'auto_explain.log_analyze': 'on',
			'auto_explain.log_timing': 'off'
		}
	});
	db = drizzle(explained, { schema }) as unknown as Db;
});
afterAll(async () => {
	await explained?.end();
});

/** History other users made: captured holds with their events, settled usage with its entries, and holds still in flight. */
async function makeHistory() {
	const others = await Promise.all(Array.from({ length: 20 }, () => makeUser(t.db)));
	const users = others.map((u) => u.id);
	// Row i belongs to users[i % 20] and their wallet.
	const owner = sql.raw(`(array[${users.join(',')}])[1 + i % ${users.length}]`);
	const wallet = sql`(select w.id from wallets w where w.user_id = ${owner})`;
	await t.db.execute(sql`
		with h as (
			insert into holds (request_id, user_id, placed_by, wallet_id, amount, expires_at, created_at, status, resolved_at, captured_cost)
			select 'history-' || i, ${owner}, ${owner}, ${wallet}, 10, now() + interval '1 hour', now(),
				case when i % 4 = 0 then 'active' else 'captured' end, case when i % 4 = 0 then null else now() end, case when i % 4 = 0 then null else 10 end
			from generate_series(1, ${HISTORY}) i
			returning id, amount
		)
		insert into hold_events (hold_id, event, amount, at) select h.id, 'placed', h.amount, now() from h`);
	await t.db.execute(sql`
		insert into usage_records (request_id, user_id, model, input_tokens, output_tokens, images, cost, wallet_id, subscription_used, regular_used, occurred_at, payload_hash)
		select 'history-' || i, ${owner}, 'history-model', 1, 1, 0, 0, ${wallet}, 0, 0, now(), 'h' from generate_series(1, ${HISTORY}) i`);
	await t.db.execute(sql`
		insert into ledger_entries (wallet_id, amount, balance_after, kind, idempotency_key, reference)
		select ${wallet}, 1, i, 'adjustment', 'history-' || i, 'history' from generate_series(1, ${HISTORY}) i`);
	await t.db.execute(sql`analyze`);
}

/**
 * Rows each plan node over `table` (or one of its indexes) read, from auto_explain's analyzed plans:
 * the rows it returned over all its loops and those its filters removed.
 */
function rowsReadFrom(table: string, plansText: string): number[] {
	const nodes = plansText.split(/\n(?=\s*->|\S)/);
	const over = new RegExp(`\\bon ${table}(\\b|_\\w+)`);
	return nodes
		.filter((node) => over.test(node.split('\n')[0]))
		.map((node) => {
			const [, rows, loops] = node.match(/actual rows=([\d.]+) loops=(\d+)/) ?? [];
			const removed = [...node.matchAll(/Rows Removed by (?:Filter|Index Recheck): (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
			return Math.round(Number(rows ?? 0) * Number(loops ?? 1)) + removed;
		});
}

describe('metering statements with history in the tables', () => {
	it('the holds in flight are not read to reserve or to settle: a reserve reads only its wallet\'s expired, unmarked ones, a settlement only its own', async () => {
		const model = await makeModel(t.db);
		const gateway = await makeUser(t.db, { role: 'service' });
		const user = await makeUser(t.db);
		const [{ wallet }] = await t.db.execute<{ wallet: number }>(sql`select id as wallet from wallets where user_id = ${user.id}`);
		// Statistics of a moment with many holds resolved and none in flight: whatever the statistics
		// say, every plan must look a batch's holds up by key.
		await t.db.execute(sql`
			insert into holds (request_id, user_id, placed_by, wallet_id, amount, expires_at, created_at, status, resolved_at, captured_cost)
			select 'done-' || ${user.id} || '-' || i, ${user.id}, ${gateway.id}, ${wallet}, 10, now(), now() - interval '1 hour', 'captured', now(), 10
			from generate_series(1, 4000) i`);
		await t.db.execute(sql`analyze holds`);
		const inFlight = 2_000;
		// Holds in flight on the user's wallet (10 credits each), and 3 past their expiry the job has not marked.
		await t.db.execute(sql`
			with h as (
				insert into holds (request_id, user_id, placed_by, wallet_id, amount, expires_at, created_at)
				select 'flight-' || ${user.id} || '-' || i, ${user.id}, ${gateway.id}, ${wallet}, 10,
					case when i <= 3 then now() - interval '1 minute' else now() + interval '1 hour' end, now() - interval '2 minutes'
				from generate_series(1, ${inFlight}) i
				returning id, amount, created_at
			)
			insert into hold_events (hold_id, event, amount, at) select h.id, 'placed', h.amount, h.created_at from h`);
		plans.length = 0;
		const reserved = await reserveCredit(db, {
			requestId: `flight-${user.id}-new`,
			userId: user.id,
			model: model.code,
			estimatedCost: 100,
			ttlSeconds: 600,
			placedBy: gateway.id,
			apiKeyId: null
		});
		// The expired ones count for nothing.
		expect(reserved).toMatchObject({ allowed: true, available: 1_000_000 - (inFlight - 3) * 10 - 100 });
		const settled = await settleUsage(db, [{ requestId: `flight-${user.id}-new`, userId: user.id, model: model.code, cost: 40 }]);
		expect(settled[0]).toMatchObject({ status: 'settled' });
		const [hold] = await t.db.execute<{ status: string }>(sql`select status from holds where request_id = ${`flight-${user.id}-new`}`);
		expect(hold.status).toBe('captured');
		const text = plans.join('\n');
		expect(text).toContain('reserve_holds');
		expect(text).toContain('UPDATE holds');
		const reads = rowsReadFrom('holds', text);
		expect(reads.length).toBeGreaterThan(0);
		expect(Math.max(...reads)).toBeLessThanOrEqual(3);
	});

	it('reserve, settle (first report, repeat, payer chain by the loop) look the batch up by key in every growing table', async () => {
		await makeHistory();
		const model = await makeModel(t.db);
		const gateway = await makeUser(t.db, { role: 'service' });
		const key = await createApiKey(t.db, gateway.id, { name: 'gw', scopes: ['usage:write'] });
		const user = await makeUser(t.db);
		// A member whose enterprise cannot pay: the payer is chosen by the loop, not the set-based fast path.
		const member = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: `plans-${process.pid}`, description: '' });
		await addMember(t.db, enterprise.id, member.id, null);

		const ids = Array.from({ length: 6 }, (_, i) => `plans-${process.pid}-${i}`);
		const reserved = await Promise.all(
			ids.map((requestId) => reserveCredit(db, { requestId, userId: user.id, model: model.code, estimatedCost: 100, ttlSeconds: 600, placedBy: gateway.id, apiKeyId: key.id }))
		);
		expect(reserved.every((r) => r.allowed)).toBe(true);
		const again = await reserveCredit(db, { requestId: ids[0], userId: user.id, model: model.code, estimatedCost: 100, ttlSeconds: 600, placedBy: gateway.id, apiKeyId: key.id });
		expect(again.hold_id).toBe(reserved[0].hold_id);

		const events = ids.map((requestId) => ({ requestId, userId: user.id, model: model.code, cost: 40 }));
		const settled = await settleUsage(db, events);
		expect(settled.map((r) => r.status)).toEqual(ids.map(() => 'settled'));
		const repeated = await settleUsage(db, [...events.slice(0, 2), { requestId: `plans-${process.pid}-new`, userId: user.id, model: model.code, cost: 40 }]);
		expect(repeated.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'settled']);
		const byLoop = await settleUsage(db, [{ requestId: `plans-${process.pid}-member`, userId: member.id, model: model.code, cost: 40 }]);
		expect(byLoop[0]).toMatchObject({ status: 'settled', enterprise_id: null });
		const [{ captured }] = await t.db.execute<{ captured: number }>(
			sql`select count(*)::int as captured from holds where request_id like ${`plans-${process.pid}-%`} and status = 'captured'`
		);
		expect(captured).toBe(6);

		const text = plans.join('\n');
		// The plans were seen: the functions' own statements included.
		expect(['reserve_holds', 'settle_usage', 'INSERT INTO holds', 'INSERT INTO usage_records'].filter((s) => !text.includes(s))).toEqual([]);
		const scans = GROWING.flatMap((table) => text.match(new RegExp(`Seq Scan on ${table}\\b.*`, 'g')) ?? []);
		expect(scans).toEqual([]);
	});

	it('authorizing, reserving, settling and releasing read only the wallets, grants, memberships and holds of the batch, however many accounts and holds there are', async () => {
		// Accounts as registration makes them (a wallet with a welcome grant and its entry), and
		// enterprises with members among them: every plan must look the batch's payers up by key.
		const crowd = 3_000;
		await t.db.execute(sql`
			with u as (
				insert into users (email, name) select 'crowd-' || ${process.pid} || '-' || i || '@tally.local', 'Crowd' from generate_series(1, ${crowd}) i returning id
			), w as (
				insert into wallets (owner_type, user_id, balance) select 'user', u.id, 1000 from u returning id
			), g as (
				insert into credit_grants (wallet_id, source, original, remaining, idempotency_key)
				select w.id, 'welcome', 1000, 1000, 'crowd-welcome-' || w.id from w returning id, wallet_id
			)
			insert into ledger_entries (wallet_id, amount, balance_after, kind, idempotency_key, reference, grant_id)
			select g.wallet_id, 1000, 1000, 'welcome', 'crowd-welcome-' || g.wallet_id, 'welcome', g.id from g`);
		// Each of the crowd in two of the enterprises: enough rows that reading them all costs a planner
		// more than looking the batch's up.
		await t.db.execute(sql`
			with e as (
				insert into enterprises (name) select 'crowd-' || ${process.pid} || '-' || i from generate_series(1, 100) i returning id
			), w as (
				insert into wallets (owner_type, enterprise_id) select 'enterprise', e.id from e returning enterprise_id
			), ids as (
				select array_agg(w.enterprise_id order by w.enterprise_id) as ids from w
			)
			insert into memberships (user_id, enterprise_id)
			select u.id, ids.ids[1 + (u.n + k.k) % 100]
			from (select id, row_number() over (order by id) as n from users where email like ${`crowd-${process.pid}-%`}) u
			cross join ids cross join (values (0), (50)) as k(k)`);
		await t.db.execute(sql`analyze`);

		const model = await makeModel(t.db);
		const gateway = await makeUser(t.db, { role: 'service' });
		const user = await makeUser(t.db);
		const member = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: `plans-payer-${process.pid}`, description: '' });
		await postEntry(t.db, { walletId: await enterpriseWalletId(t.db, enterprise.id), amount: 100_000, kind: 'adjustment', idempotencyKey: `plans-payer-${process.pid}` });
		await addMember(t.db, enterprise.id, member.id, null);

		plans.length = 0;
		const id = (name: string) => `crowd-${process.pid}-${name}`;
		const reserve = (requestId: string, userId: number) =>
			reserveCredit(db, { requestId, userId, model: model.code, estimatedCost: 100, ttlSeconds: 600, placedBy: gateway.id, apiKeyId: null });
		const reserved = await Promise.all([reserve(id('user'), user.id), reserve(id('member'), member.id), reserve(id('released'), user.id)]);
		expect(reserved.map((r) => r.allowed)).toEqual([true, true, true]);
		const settled = await settleUsage(db, [
			{ requestId: id('user'), userId: user.id, model: model.code, cost: 40 },
			{ requestId: id('member'), userId: member.id, model: model.code, cost: 40 }
		]);
		expect(settled).toMatchObject([
			{ status: 'settled', enterprise_id: null },
			{ status: 'settled', enterprise_id: enterprise.id }
		]);
		expect(await releaseHold(db, gateway.id, id('released'))).toMatchObject({ status: 'released' });
		expect(await authorizeUsage(db, { userId: member.id, model: model.code, estimatedCost: 100 })).toMatchObject({ allowed: true });

		const text = plans.join('\n');
		expect(['reserve_holds', 'settle_usage', 'UPDATE wallets', 'UPDATE credit_grants'].filter((s) => !text.includes(s))).toEqual([]);
		// The batch has three wallets, two welcome grants, one membership and three holds; a node reading
		// more read the crowd's (or the holds of the tests above: 10,000).
		const readMany = ['wallets', 'credit_grants', 'memberships', 'holds'].flatMap((table) =>
			rowsReadFrom(table, text)
				.filter((rows) => rows > 20)
				.map((rows) => `${table}: ${rows}`)
		);
		expect(readMany).toEqual([]);
	});
});
