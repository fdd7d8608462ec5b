/**
 * npx tsx bench/alert-trigger.ts — the cost of the wallets alert trigger per balance update, apart
 * from HTTP and settlement: the same PL/pgSQL loop of committed balance updates (as post_entries makes them)
 * with the trigger disabled and enabled, interleaved, in one embedded PostgreSQL. Env:
 * BENCH_UPDATES (10000 per run), BENCH_ROUNDS (3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { applyDefaultThreshold } from '../src/lib/server/ledger/alert-threshold';
import { userWalletId } from '../src/lib/server/ledger/wallets';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bench-trigger-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 1 });
try {
	await applyMigrations(handle.db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000_000 });
	await applyDefaultThreshold(handle.db, 100_000);
	const user = await createUser(handle.db, { email: 'trigger@bench.local', name: 'Bench', password: null });
	const walletId = await userWalletId(handle.db, user.id);
	// Measure the statement, not the disk: commits do not wait for the WAL flush.
	await handle.db.execute(sql`set synchronous_commit = off`);
	const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
	for (let round = 1; round <= ROUNDS; round++) {
		for (const mode of ['off', 'on'] as const) {
			await handle.db.execute(sql.raw(`alter table wallets ${mode === 'on' ? 'enable' : 'disable'} trigger wallets_alert`));
			const started = performance.now();
			// The statement post_entries runs for a wallet, one per settled batch, each in its own transaction.
			await handle.db.execute(
				sql.raw(
					`do $$ begin for i in 1..${UPDATES} loop update wallets set balance = balance - 1, updated_at = now() where id = ${walletId}; commit; end loop; end $$`
				)
			);
			times[mode].push((performance.now() - started) / UPDATES);
			console.log(`round ${round} trigger ${mode}: ${((times[mode].at(-1) ?? 0) * 1000).toFixed(2)} µs per balance update`);
		}
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	const off = median(times.off) * 1000;
	const on = median(times.on) * 1000;
	console.log(`bench:alert-trigger per_update_us_off=${off.toFixed(2)} per_update_us_on=${on.toFixed(2)} added_us=${(on - off).toFixed(2)} ratio_on_off=${(on / off).toFixed(3)}`);
} finally {
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
