import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { executePrepared } from '../../src/lib/server/db/prepared';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';

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
