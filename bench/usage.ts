/**
 * npm run bench:usage — POST /api/v1/usage throughput of Tally's group-commit settlement against
 * a naive one-transaction-per-event baseline (USAGE_SETTLE_MODE=naive, a benchmark-only mode),
 * both served by the built app (`node build`) on the same embedded PostgreSQL in the same run.
 * Env: BENCH_USERS (1000), BENCH_CONNECTIONS (64), BENCH_SECONDS (12 per phase); BENCH_DEV=1 serves
 * with `vite dev` instead of the build, to try the harness only (its figures mean nothing).
 * Last phase, reserve_settle: BENCH_CONNECTIONS clients each loop reserve (POST /usage/authorize with
 * reserve: true) then settle (POST /usage with the same request_id) for BENCH_SECONDS; every hold
 * must end captured.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { createApiKey } from '../src/lib/server/auth/api-keys';
import { verifyLedger } from '../src/lib/server/ledger/verify';
import { setModelPrice } from '../src/lib/server/usage/models';
import { applyDefaultThreshold } from '../src/lib/server/ledger/alert-threshold';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const MODEL = 'bench-model';
const DEV = process.env.BENCH_DEV === '1';
/** BENCH_ALERTS_AB=1: only the hot phase of Tally, alternately without and with the wallets alert trigger, and their ratio. */
const ALERTS_AB = process.env.BENCH_ALERTS_AB === '1';

interface PhaseResult {
	name: string;
	eps: number;
	p50: number;
	p99: number;
	ok: number;
	failed: number;
	recorded: number;
}

function buildIsFresh(): boolean {
	if (!existsSync('build/index.js')) return false;
	const built = statSync('build/index.js').mtimeMs;
	const newest = spawnSync('find', ['src', '-newer', 'build/index.js', '-type', 'f', '-print', '-quit'], { encoding: 'utf8' }).stdout.trim();
	return built > 0 && newest === '';
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
	for (let i = 0; i < 150; i++) {
		if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
		try {
			await fetch(url);
			return;
		} catch {
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	throw new Error(`app at ${url} did not start`);
}

async function startApp(databaseUrl: string, mode: 'batch' | 'naive'): Promise<{ url: string; child: ChildProcess }> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const args = DEV ? ['node_modules/vite/bin/vite.js', 'dev', '--port', String(port), '--strictPort', '--host', '127.0.0.1'] : ['build'];
	const child = spawn(process.execPath, args, {
		env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, SEED_DEMO: '0', LOG_SETTLEMENTS: '0', USAGE_SETTLE_MODE: mode, NODE_ENV: 'production' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	await waitForServer(url, child);
	return { url, child };
}

function toMs(value: string): number {
	const m = value.match(/^([\d.]+)(us|ms|s)$/);
	if (!m) return Number.NaN;
	return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

function runWrk(url: string, env: Record<string, string>, seconds: number): { ok: number; failed: number; p50: number; p99: number } {
	const out = spawnSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', 'bench/usage-wrk.lua', url], {
		env: { ...process.env, ...env },
		encoding: 'utf8'
	});
	if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr}`);
	const text = out.stdout;
	const total = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
	const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
	const socketErrors = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
	const errors = socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
	return {
		ok: total - non2xx,
		failed: non2xx + errors,
		p50: toMs(text.match(/\s50%\s+(\S+)/)?.[1] ?? ''),
		p99: toMs(text.match(/\s99%\s+(\S+)/)?.[1] ?? '')
	};
}

interface PairResult {
	pairs: number;
	failed: number;
	p50: number;
	p99: number;
}

/** Reserve-then-settle pairs from `clients` concurrent loops for `seconds`; latency is the pair's. */
async function reserveThenSettle(url: string, key: string, users: [number, number], prefix: string, clients: number, seconds: number): Promise<PairResult> {
	const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
	const until = Date.now() + seconds * 1000;
	const latencies: number[] = [];
	let failed = 0;
	await Promise.all(
		Array.from({ length: clients }, async (_, c) => {
			for (let i = 0; Date.now() < until; i++) {
				const request_id = `${prefix}-${c}-${i}`;
				const user_id = users[0] + Math.floor(Math.random() * (users[1] - users[0] + 1));
				const started = performance.now();
				const reserve = await fetch(`${url}/api/v1/usage/authorize`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ user_id, model: MODEL, reserve: true, request_id, estimated_input_tokens: 4000, max_output_tokens: 1000, ttl_seconds: 600 })
				});
				const hold = (await reserve.json()) as { allowed?: boolean };
				if (!reserve.ok || !hold.allowed) {
					failed++;
					continue;
				}
				const settle = await fetch(`${url}/api/v1/usage`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ request_id, user_id, model: MODEL, input_tokens: 200 + (i % 3000), output_tokens: 50 + (i % 800) })
				});
				await settle.arrayBuffer();
				if (!settle.ok) failed++;
				else latencies.push(performance.now() - started);
			}
		})
	);
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
	return { pairs: latencies.length, failed, p50: at(0.5), p99: at(0.99) };
}

/** The alert trigger's cost on the hot path: the same hot phase with the trigger off and on, twice each, interleaved. */
async function alertsAB(handle: ReturnType<typeof connect>, url: string, key: string, userId: number) {
	const env = { BENCH_KEY: key, BENCH_MODEL: MODEL, BENCH_USER_MIN: String(userId), BENCH_USER_MAX: String(userId) };
	runWrk(url, { ...env, BENCH_PREFIX: 'warm-ab' }, 2);
	const eps: Record<'off' | 'on', number[]> = { off: [], on: [] };
	for (const round of [1, 2]) {
		for (const mode of ['off', 'on'] as const) {
			await handle.db.execute(sql.raw(`alter table wallets ${mode === 'on' ? 'enable' : 'disable'} trigger wallets_alert`));
			const r = runWrk(url, { ...env, BENCH_PREFIX: `ab-${mode}-${round}` }, SECONDS);
			eps[mode].push(Math.round(r.ok / SECONDS));
			console.log(`tally_hot alerts ${mode} (round ${round}) ${String(eps[mode].at(-1)).padStart(6)} events/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  failed ${r.failed}`);
		}
	}
	const [{ n }] = await handle.db.execute<{ n: string }>(sql`select count(*) as n from alerts`);
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	console.log(`bench:usage alerts_ab hot_eps_trigger_off=${Math.round(mean(eps.off))} hot_eps_trigger_on=${Math.round(mean(eps.on))} ratio_on_off=${(mean(eps.on) / mean(eps.off)).toFixed(3)} alerts_raised=${n}`);
}

async function main() {
	const started = Date.now();
	if (!DEV && !buildIsFresh()) {
		console.log('bench: build/ is missing or older than src/, running vite build …');
		const build = spawnSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
		if (build.status !== 0) throw new Error('vite build failed');
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bench-'));
	const pg = await startEmbeddedPostgres(dir);
	await ensureDatabase(pg.url('postgres'), 'tally');
	const databaseUrl = pg.url('tally');
	const handle = connect(databaseUrl, { max: 8 });
	const apps: ChildProcess[] = [];
	try {
		await applyMigrations(handle.db);
		overrideConfig({ WELCOME_CREDITS: 1_000_000 });
		await applyDefaultThreshold(handle.db, 100_000);
		const admin = await createUser(handle.db, { email: 'bench-admin@tally.local', name: 'Bench', password: null, role: 'admin' });
		const service = await createUser(handle.db, { email: 'gateway@tally.local', name: 'Gateway', password: null, role: 'service' });
		const key = await createApiKey(handle.db, service.id, { name: 'bench gateway', scopes: ['usage:write'] });
		await setModelPrice(handle.db, { code: MODEL, provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
		const ids: number[] = [];
		for (let i = 0; i < USERS; i += 20) {
			const chunk = await Promise.all(
				Array.from({ length: Math.min(20, USERS - i) }, (_, j) => createUser(handle.db, { email: `bench-${i + j}@tally.local`, name: `Bench ${i + j}`, password: null }))
			);
			ids.push(...chunk.map((u) => u.id));
		}
		const [minId, maxId] = [Math.min(...ids), Math.max(...ids)];
		if (maxId - minId + 1 !== USERS) throw new Error('bench users do not have contiguous ids');
		console.log(`bench: ${USERS} users, ${CONNECTIONS} concurrent clients, ${SECONDS}s per phase, machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}`);

		const tally = await startApp(databaseUrl, 'batch');
		const naive = await startApp(databaseUrl, 'naive');
		apps.push(tally.child, naive.child);

		if (ALERTS_AB) {
			await alertsAB(handle, tally.url, key.key, minId);
			return;
		}

		const results: PhaseResult[] = [];
		for (const scenario of ['hot', 'spread'] as const) {
			for (const [label, app] of [['tally', tally], ['naive', naive]] as const) {
				const name = `${label}_${scenario}`;
				const env = {
					BENCH_KEY: key.key,
					BENCH_MODEL: MODEL,
					BENCH_USER_MIN: String(minId),
					BENCH_USER_MAX: String(scenario === 'hot' ? minId : maxId)
				};
				runWrk(app.url, { ...env, BENCH_PREFIX: `warm-${name}` }, 2);
				const r = runWrk(app.url, { ...env, BENCH_PREFIX: name }, SECONDS);
				const [{ n }] = await handle.db.execute<{ n: string }>(sql`select count(*) as n from usage_records where request_id like ${name + '-%'}`);
				const phase = { name, eps: Math.round(r.ok / SECONDS), p50: r.p50, p99: r.p99, ok: r.ok, failed: r.failed, recorded: Number(n) };
				results.push(phase);
				console.log(
					`${name.padEnd(13)} ${String(phase.eps).padStart(6)} events/s  p50 ${phase.p50.toFixed(2)} ms  p99 ${phase.p99.toFixed(2)} ms  answered ${phase.ok}  failed ${phase.failed}  recorded ${phase.recorded}`
				);
				if (phase.recorded < phase.ok) console.log(`bench: LOST ${phase.ok - phase.recorded} answered events in ${name}`);
			}
		}
		await reserveThenSettle(tally.url, key.key, [minId, maxId], 'warm-reserve', CONNECTIONS, 2);
		const pairs = await reserveThenSettle(tally.url, key.key, [minId, maxId], 'reserve', CONNECTIONS, SECONDS);
		const [holds] = await handle.db.execute<{ captured: string; other: string }>(sql`
			select count(*) filter (where status = 'captured') as captured, count(*) filter (where status <> 'captured') as other
			from holds where request_id like 'reserve-%'`);
		const pairsPerSecond = Math.round(pairs.pairs / SECONDS);
		console.log(
			`${'tally_reserve_settle'.padEnd(13)} ${String(pairsPerSecond).padStart(6)} pairs/s   p50 ${pairs.p50.toFixed(2)} ms  p99 ${pairs.p99.toFixed(2)} ms  pairs ${pairs.pairs}  failed ${pairs.failed}  holds captured ${holds.captured}  not captured ${holds.other}`
		);
		for (const child of apps) child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 500));
		const report = await verifyLedger(handle.db);
		const drift = report.drifts.length + report.orphanUsage + report.violations.length + Number(holds.other);
		const get = (name: string) => results.find((r) => r.name === name)!;
		const hotRatio = get('tally_hot').eps / Math.max(1, get('naive_hot').eps);
		const spreadRatio = get('tally_spread').eps / Math.max(1, get('naive_spread').eps);
		const p99 = Math.max(get('tally_hot').p99, get('tally_spread').p99);
		console.log(`bench: ledger verify over ${report.wallets} wallets: ${report.drifts.length} drifting, ${report.orphanUsage} orphan usage, ${report.violations.length} broken invariants (whole bench: ${Math.round((Date.now() - started) / 1000)}s)`);
		console.log(
			`bench:usage hot_eps=${get('tally_hot').eps} naive_hot_eps=${get('naive_hot').eps} hot_ratio=${hotRatio.toFixed(2)} spread_eps=${get('tally_spread').eps} naive_spread_eps=${get('naive_spread').eps} spread_ratio=${spreadRatio.toFixed(2)} p99_ms=${p99.toFixed(1)} reserve_settle_pairs_per_s=${pairsPerSecond} reserve_settle_p99_ms=${pairs.p99.toFixed(1)} drift=${drift}`
		);
		if (drift !== 0) process.exitCode = 1;
	} finally {
		for (const child of apps) if (child.exitCode === null) child.kill('SIGTERM');
		await handle.close();
		await pg.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error('bench:usage failed:', err);
	process.exit(1);
});
