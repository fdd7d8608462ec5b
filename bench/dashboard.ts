/**
 * Dashboard roll-up timing: loads 10k, 100k and 1M usage rows (one user each) into an
 * embedded PostgreSQL in a temp dir, keeps usage_daily as settlement does (here rebuilt with
 * one INSERT…SELECT…GROUP BY), then times the dashboard aggregates read from usage_daily
 * against the same aggregates computed from raw usage_records.
 *
 *   npm run bench:dashboard            (BENCH_SIZES=10000,100000 to choose sizes)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, type Db } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { dailyByModel, lastDays, modelTotals, thisMonth, usageTotals, type DayRange } from '../src/lib/server/usage/reports';
import { usageLogPage } from '../src/lib/server/usage/usage-log';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = 7;
const MODELS = 6;

async function createUser(db: Db, n: number): Promise<{ userId: number; walletId: number }> {
	const [u] = await db.execute<{ id: number }>(sql`insert into users (email, name) values (${`bench-${n}@bench.local`}, ${`bench ${n}`}) returning id`);
	const [w] = await db.execute<{ id: number }>(sql`insert into wallets (owner_type, user_id) values ('user', ${u.id}) returning id`);
	return { userId: u.id, walletId: w.id };
}

/** N usage rows spread evenly over the last 365 days, several models, deterministic token counts. */
async function load(db: Db, n: number, userId: number, walletId: number): Promise<void> {
	await db.execute(sql`
		insert into usage_records (request_id, user_id, model, input_tokens, output_tokens, cost, wallet_id, regular_used, occurred_at)
		select 'bench-' || ${userId} || '-' || g, ${userId}, 'model-' || (g % ${MODELS}), (g * 7919) % 4000, (g * 104729) % 1500,
			1 + (g * 31) % 20000, ${walletId}, 1 + (g * 31) % 20000,
			now() - make_interval(secs => (g::float8 * 365 * 86400) / ${n})
		from generate_series(1::bigint, ${n}::bigint) g`);
	await db.execute(sql`
		insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
		select (occurred_at at time zone 'UTC')::date, user_id, wallet_id, model, count(*), sum(input_tokens), sum(output_tokens), sum(cost)
		from usage_records where user_id = ${userId}
		group by 1, 2, 3, 4`);
}

function rangeSql(range: DayRange) {
	return sql`occurred_at >= ${range.from}::date::timestamptz and occurred_at < (${range.to}::date + 1)::timestamptz`;
}

/** The dashboard's aggregates, as the page asks for them, from the roll-up. */
async function fromRollup(db: Db, userId: number) {
	const scope = { userId };
	const [daily, top, month, all] = await Promise.all([
		dailyByModel(db, scope, lastDays(30)),
		modelTotals(db, scope, thisMonth(), 5),
		usageTotals(db, scope, thisMonth()),
		usageTotals(db, scope, null)
	]);
	return { daily: daily.length, topCost: top[0]?.cost ?? 0, month: month.cost, all: all.cost };
}

/** The same aggregates computed from raw usage_records. */
async function fromRaw(db: Db, userId: number) {
	const last30 = lastDays(30);
	const month = thisMonth();
	const [daily, top, m, all] = await Promise.all([
		db.execute(sql`select (occurred_at at time zone 'UTC')::date as day, model, count(*), sum(input_tokens), sum(output_tokens), sum(cost)
			from usage_records where user_id = ${userId} and ${rangeSql(last30)} group by 1, 2 order by 1, 2`),
		db.execute<{ cost: string }>(sql`select model, sum(cost) as cost from usage_records where user_id = ${userId} and ${rangeSql(month)}
			group by model order by sum(cost) desc limit 5`),
		db.execute<{ cost: string }>(sql`select coalesce(sum(cost), 0) as cost from usage_records where user_id = ${userId} and ${rangeSql(month)}`),
		db.execute<{ cost: string }>(sql`select coalesce(sum(cost), 0) as cost from usage_records where user_id = ${userId}`)
	]);
	return { daily: daily.length, topCost: Number(top[0]?.cost ?? 0), month: Number(m[0].cost), all: Number(all[0].cost) };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
	await fn();
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		await fn();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}

async function main() {
	const dir = mkdtempSync(path.join(tmpdir(), 'tally-bench-dashboard-'));
	const server = await startEmbeddedPostgres(dir);
	await ensureDatabase(server.url('postgres'), 'bench');
	const handle = connect(server.url('bench'), { max: 4 });
	const lines: string[] = [];
	try {
		await applyMigrations(handle.db);
		for (const n of SIZES) {
			const { userId, walletId } = await createUser(handle.db, n);
			const loadStart = performance.now();
			await load(handle.db, n, userId, walletId);
			await handle.db.execute(sql`analyze usage_records`);
			await handle.db.execute(sql`analyze usage_daily`);
			const loadMs = performance.now() - loadStart;
			const [a, b] = [await fromRollup(handle.db, userId), await fromRaw(handle.db, userId)];
			if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`roll-up and raw disagree at ${n}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
			const [{ days }] = await handle.db.execute<{ days: string }>(sql`select count(*) as days from usage_daily where user_id = ${userId}`);
			const rollupMs = await median(() => fromRollup(handle.db, userId));
			const rawMs = await median(() => fromRaw(handle.db, userId));
			const logMs = await median(() => usageLogPage(handle.db, { userId }, { limit: 50 }));
			const line = { rows: n, rollup_rows: Number(days), load_s: +(loadMs / 1000).toFixed(1), rollup_ms: +rollupMs.toFixed(2), raw_ms: +rawMs.toFixed(2), raw_over_rollup: +(rawMs / rollupMs).toFixed(1), log_page_ms: +logMs.toFixed(2) };
			console.log(JSON.stringify(line));
			lines.push(
				`${String(n).padStart(9)} ${String(line.rollup_rows).padStart(11)} ${line.rollup_ms.toFixed(2).padStart(10)} ${line.raw_ms.toFixed(2).padStart(10)} ${(line.raw_over_rollup + '×').padStart(8)} ${line.log_page_ms.toFixed(2).padStart(12)}`
			);
		}
		console.log(`\nDashboard aggregates (30-day daily by model, top models this month, month and all-time totals), median of ${RUNS}:`);
		console.log('usage_rows rollup_rows  rollup_ms     raw_ms    ratio  log_page_ms');
		for (const l of lines) console.log(l);
	} finally {
		await handle.close();
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
