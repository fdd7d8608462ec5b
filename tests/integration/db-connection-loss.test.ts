import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { connect } from '../../src/lib/server/db/client';
import { isDatabaseUnavailable } from '../../src/lib/server/db/outage';
import { useTestDatabase } from '../helpers/db';

const t = useTestDatabase(2);

/**
 * A connection the server closes in the middle of a transaction (an admin shutdown, a restart,
 * pg_terminate_backend) must fail that transaction with an error the app maps to 503, not throw
 * outside any promise and end the process (scripts/patch-postgres.mjs), and the pool must serve
 * the next query on the same connection.
 */
describe('losing a connection mid-transaction', () => {
	it('rejects the transaction as database-unavailable, keeps the process up, and the pool works again', async () => {
		const uncaught: unknown[] = [];
		const onUncaught = (err: unknown) => uncaught.push(err);
		process.on('uncaughtException', onUncaught);
		const pool = connect(t.url, { max: 1 });
		try {
			for (let round = 0; round < 3; round++) {
				let pid: number | null = null;
				const tx = pool.db.transaction(async (tx) => {
					const [row] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
					pid = row.pid;
					await tx.execute(sql`select pg_sleep(5)`);
				});
				const failure = tx.then(
					() => null,
					(err: unknown) => err
				);
				while (pid === null) await new Promise((r) => setTimeout(r, 20));
				await t.db.execute(sql`select pg_terminate_backend(${pid})`);
				expect(isDatabaseUnavailable(await failure)).toBe(true);
				await new Promise((r) => setTimeout(r, 100));
				const [after] = await pool.db.execute<{ one: number }>(sql`select 1 as one`);
				expect(after.one).toBe(1);
			}
			expect(uncaught).toEqual([]);
		} finally {
			process.off('uncaughtException', onUncaught);
			await pool.close();
		}
	});
});
