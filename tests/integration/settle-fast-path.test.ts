import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../src/lib/server/db/client';
import { overrideConfig } from '../../src/lib/server/config';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { setMemberLimit } from '../../src/lib/server/enterprises/limits';
import { issueGrant } from '../../src/lib/server/ledger/grants';
import { postEntry } from '../../src/lib/server/ledger/post';
import { settleUsageDefinition } from '../../src/lib/server/ledger/settle-baseline';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { enterpriseWalletId, userWalletId } from '../../src/lib/server/ledger/wallets';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
const HOUR = 3_600_000;

/**
 * settle_usage as 0017_settle_batch.sql defined it (one plpgsql loop over the events, entries
 * through post_entries), loaded as settle_usage_reference: the set-based path of the current
 * definition must leave exactly what it left.
 */
beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 0, CREDIT_LIMIT: 0 });
	await t.db.execute(sql.raw(settleUsageDefinition('drizzle/0017_settle_batch.sql', 'settle_usage_reference')));
});

/** What a settlement call answered and wrote, without generated ids and times. */
async function settleAndRead(tx: Tx, fn: 'settle_usage' | 'settle_usage_reference', events: unknown[], at: Date, tag: string) {
	const answer = await tx.execute(
		sql`select * from ${sql.raw(fn)}(${JSON.stringify(events)}::jsonb, ${at.toISOString()}::timestamptz, false) order by o`
	);
	const entries = await tx.execute(sql`
		select wallet_id, amount, balance_after, kind, idempotency_key, reference, grant_id from ledger_entries
		where reference like ${`usage:${tag}-%`} order by id`);
	const records = await tx.execute(sql`
		select request_id, user_id, wallet_id, enterprise_id, cost, subscription_used, regular_used, payload_hash from usage_records
		where request_id like ${`${tag}-%`} order by request_id`);
	const wallets = await tx.execute(sql`select id, balance from wallets order by id`);
	const grants = await tx.execute(sql`select id, remaining from credit_grants order by id`);
	const daily = await tx.execute(sql`select user_id, wallet_id, day, requests, cost from usage_daily order by 1, 2, 3`);
	const spend = await tx.execute(sql`select user_id, wallet_id, month, spent from member_month_spend order by 1, 2, 3`);
	return { answer, entries, records, wallets, grants, daily, spend };
}

const scenarioArb = fc.record({
	/** Rich enterprises cover any batch (the set-based path); poor ones make the loop decide. */
	enterpriseBalances: fc.array(fc.constantFrom(0, 150, 1_000_000), { minLength: 2, maxLength: 2 }),
	ownBalances: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 3 }),
	memberships: fc.array(
		fc.uniqueArray(
			fc.record({ enterprise: fc.nat(1), limit: fc.option(fc.constantFrom(0, 100, 1_000_000), { nil: null }), suspended: fc.boolean() }),
			{ maxLength: 2, selector: (m) => m.enterprise }
		),
		{ minLength: 3, maxLength: 3 }
	),
	grants: fc.array(
		fc.record({
			wallet: fc.nat(4),
			amount: fc.integer({ min: 1, max: 200 }),
			priority: fc.integer({ min: 0, max: 2 }),
			expiresIn: fc.option(fc.constantFrom(-2, 3, 6), { nil: null }),
			notYetEffective: fc.boolean()
		}),
		{ maxLength: 5 }
	),
	/** Request ids from a small pool: repeats in a batch and across batches. */
	batches: fc.array(
		fc.array(fc.record({ user: fc.nat(2), id: fc.nat(15), cost: fc.constantFrom(0, 1, 7, 40, 120), hash: fc.nat(1) }), { minLength: 1, maxLength: 15 }),
		{ minLength: 1, maxLength: 3 }
	)
});

let run = 0;

describe('settle_usage set-based path', () => {
	it('answers and writes what the loop of 0017 did: entries, keys, grants, balances, records, roll-ups', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const model = await makeModel(t.db);
		await fc.assert(
			fc.asyncProperty(scenarioArb, async (s) => {
				const tag = `fast-${process.pid}-${run++}`;
				const at = new Date();
				const enterprises = await Promise.all(s.enterpriseBalances.map((_, i) => createEnterprise(t.db, { name: `${tag}-${i}`, description: '' })));
				const enterpriseWallets = await Promise.all(enterprises.map((g) => enterpriseWalletId(t.db, g.id)));
				const users = await Promise.all(s.ownBalances.map(() => makeUser(t.db)));
				const ownWallets = await Promise.all(users.map((u) => userWalletId(t.db, u.id)));
				const fund = (walletId: number, amount: number, i: number) =>
					amount !== 0 && postEntry(t.db, { walletId, amount, kind: 'adjustment', idempotencyKey: `${tag}-fund-${i}`, memo: null });
				await Promise.all([...s.enterpriseBalances.map((b, i) => fund(enterpriseWallets[i], b, i)), ...s.ownBalances.map((b, i) => fund(ownWallets[i], b, 10 + i))]);
				for (const [u, list] of s.memberships.entries()) {
					for (const m of list) {
						const { membership } = await addMember(t.db, enterprises[m.enterprise].id, users[u].id, admin.id);
						if (m.limit !== null) await setMemberLimit(t.db, enterprises[m.enterprise].id, users[u].id, m.limit);
						await t.db.execute(sql`update memberships set suspended = ${m.suspended} where id = ${membership.id}`);
					}
				}
				const wallets = [...enterpriseWallets, ...ownWallets];
				for (const [i, g] of s.grants.entries()) {
					const expiresAt = g.expiresIn === null ? null : new Date(at.getTime() + g.expiresIn * HOUR);
					const effectiveFrom =
						g.notYetEffective && (expiresAt === null || expiresAt.getTime() > at.getTime() + HOUR) ? new Date(at.getTime() + HOUR / 2) : new Date(at.getTime() - 4 * HOUR);
					await t.db.transaction((tx) =>
						issueGrant(tx, { walletId: wallets[g.wallet], source: 'package', unit: 'credits', amount: g.amount, priority: g.priority, expiresAt, effectiveFrom, idempotencyKey: `${tag}-g${i}` })
					);
				}
				for (const batch of s.batches) {
					const events = batch.map((e) => ({
						request_id: `${tag}-${e.id}`,
						user_id: users[e.user].id,
						api_key_id: null,
						model: model.code,
						input_tokens: 0,
						output_tokens: 0,
						images: 0,
						cost: e.cost,
						occurred_at: at.toISOString(),
						metadata: null,
						payload_hash: `h${e.hash}`,
						priced: false,
						input_price: null,
						output_price: null,
						image_price: null
					}));
					await t.db.transaction(async (tx) => {
						await tx.execute(sql`savepoint current`);
						const current = await settleAndRead(tx, 'settle_usage', events, at, tag);
						await tx.execute(sql`rollback to savepoint current`);
						const reference = await settleAndRead(tx, 'settle_usage_reference', events, at, tag);
						expect(current).toEqual(reference);
					});
				}
			}),
			{ numRuns: 40 }
		);
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.violations).toEqual([]);
	});
});
