import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { connect } from '../../src/lib/server/db/client';
import { executePrepared } from '../../src/lib/server/db/prepared';
import { overrideConfig } from '../../src/lib/server/config';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { reserveCredit } from '../../src/lib/server/usage/reserve-batch';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();

const walletOf = (userId: number) => sql`select id, balance from wallets where user_id = any(${`{${userId}}`}::int[])`;

describe('executePrepared (the metering statements)', () => {
	it('answers like db.execute, and a reused statement answers for its new parameters', async () => {
		const a = await makeUser(t.db);
		const b = await makeUser(t.db);
		for (const user of [a, b, a, b]) {
			const prepared = await executePrepared<{ id: number; balance: string }>(t.db, walletOf(user.id));
			expect(prepared).toEqual([...(await t.db.execute<{ id: number; balance: string }>(walletOf(user.id)))]);
			expect(prepared).toHaveLength(1);
		}
	});

	it("runs on the transaction's connection: its lock holds until the commit, and it sees the transaction's writes", async () => {
		const user = await makeUser(t.db);
		const [{ id: walletId }] = await executePrepared<{ id: number }>(t.db, walletOf(user.id));
		const lockFromOutside = () =>
			executePrepared(t.db, sql`select id from wallets where id = ${walletId} for update nowait`).then(
				() => 'acquired',
				(err: { code?: string }) => err.code
			);
		await t.db.transaction(async (tx) => {
			await executePrepared(tx, sql`select id from wallets where id = ${walletId} for update`);
			expect(await lockFromOutside()).toBe('55P03');
			await tx.execute(sql`update wallets set updated_at = '2001-02-03T00:00:00Z' where id = ${walletId}`);
			const [row] = await executePrepared<{ day: string }>(tx, sql`select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as day from wallets where id = ${walletId}`);
			expect(row.day).toBe('2001-02-03');
		});
		expect(await lockFromOutside()).toBe('acquired');
	});
});

describe("the app's prepared statements", () => {
	it('are planned once per connection, not again for every batch', async () => {
		overrideConfig({ LOG_SETTLEMENTS: false });
		const one = connect(t.url, { max: 1 });
		try {
			const models = [await makeModel(t.db), await makeModel(t.db)];
			const users = [await makeUser(t.db), await makeUser(t.db), await makeUser(t.db)];
			for (let batch = 0; batch < 12; batch++) {
				const events = Array.from({ length: 1 + (batch % 4) }, (_, i) => ({
					requestId: `plans-${batch}-${i}`,
					userId: users[(batch + i) % users.length].id,
					model: models[i % 2].code,
					inputTokens: 100 + i,
					outputTokens: 10
				}));
				const results = await settleUsage(one.db, events);
				expect(results.map((r) => r.status)).toEqual(events.map(() => 'settled'));
				const user = users[batch % users.length];
				const hold = await reserveCredit(one.db, { requestId: `plans-hold-${batch}`, userId: user.id, model: models[batch % 2].code, estimatedCost: 10, ttlSeconds: 60, placedBy: user.id, apiKeyId: null });
				expect(hold.allowed).toBe(true);
			}
			const plans = await one.sql<Array<{ statement: string; generic_plans: string; custom_plans: string }>>`
				select statement, generic_plans, custom_plans from pg_prepared_statements`;
			const named = (part: string) => plans.filter((p) => p.statement.includes(part));
			for (const part of ['settle_usage', 'reserve_holds', '"models"', '"users"']) expect(named(part).length, part).toBeGreaterThan(0);
			expect(plans.filter((p) => Number(p.custom_plans) > 0).map((p) => p.statement.replace(/\s+/g, ' ').slice(0, 80))).toEqual([]);
		} finally {
			await one.close();
		}
	});
});
