/**
 * npm run test:faults — the built app under its supervisor (`scripts/start.mjs`) on a real
 * PostgreSQL, with usage load from several clients that repeat request ids on purpose:
 * kill -9 of the app mid-load, then PostgreSQL stopped and started again mid-load, then every
 * unanswered event retried. Env: FAULTS_CLIENTS (8), FAULTS_SECONDS (20, the whole load).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { connect, type DbHandle } from '../../src/lib/server/db/client';
import { ensureDatabase, freePort, startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { overrideConfig } from '../../src/lib/server/config';
import { createUser } from '../../src/lib/server/auth/accounts';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { setModelPrice } from '../../src/lib/server/usage/models';
import { UsageLoad, type Answer } from './load';

const CLIENTS = Number(process.env.FAULTS_CLIENTS ?? 8);
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 20);
const MODEL = 'faults-model';
/** Bounds the suite holds the app to. */
const OUTAGE_LATENCY_BOUND_MS = 3000;
const RECOVERY_BOUND_MS = 10_000;
const RESTART_BOUND_MS = 20_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let pgPort: number;
let pg: EmbeddedServer;
let db: DbHandle;
let supervisor: ChildProcess;
const appPids: number[] = [];
let supervisorOutput = '';

async function startSupervisor(databaseUrl: string, port: number): Promise<string> {
	const url = `http://127.0.0.1:${port}`;
	supervisor = spawn(process.execPath, ['scripts/start.mjs'], {
		env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, SEED_DEMO: '0', LOG_SETTLEMENTS: '0', NODE_ENV: 'production', LOG_LEVEL: 'info', VITEST: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const collect = (chunk: Buffer) => {
		supervisorOutput += chunk.toString();
		for (const m of chunk.toString().matchAll(/"pid":(\d+),"msg":"supervisor: app started"/g)) appPids.push(Number(m[1]));
	};
	supervisor.stdout!.on('data', collect);
	supervisor.stderr!.on('data', collect);
	for (let i = 0; i < 150; i++) {
		if (supervisor.exitCode !== null) throw new Error(`supervisor exited with ${supervisor.exitCode}:\n${supervisorOutput}`);
		try {
			if ((await fetch(`${url}/login`)).ok) return url;
		} catch {
			// not listening yet
		}
		await pause(200);
	}
	throw new Error(`app at ${url} did not start:\n${supervisorOutput}`);
}

describe('faults: app killed and PostgreSQL restarted under usage load', () => {
	let baseUrl: string;
	let apiKey: string;
	let userIds: number[];

	beforeAll(async () => {
		if (!existsSync('build/index.js')) throw new Error('build/ is missing: run `npm run build` (npm run test:faults does)');
		dir = mkdtempSync(path.join(os.tmpdir(), 'tally-faults-'));
		pgPort = await freePort();
		pg = await startEmbeddedPostgres(dir, pgPort);
		await ensureDatabase(pg.url('postgres'), 'tally');
		db = connect(pg.url('tally'), { max: 4 });
		await applyMigrations(db.db);
		overrideConfig({ WELCOME_CREDITS: 1_000_000_000 });
		const admin = await createUser(db.db, { email: 'faults-admin@tally.local', name: 'Faults', password: null, role: 'admin' });
		const gateway = await createUser(db.db, { email: 'gateway@tally.local', name: 'Gateway', password: null, role: 'service' });
		apiKey = (await createApiKey(db.db, gateway.id, { name: 'faults gateway', scopes: ['usage:write'] })).key;
		await setModelPrice(db.db, { code: MODEL, provider: 'faults', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
		userIds = [];
		for (let i = 0; i < 20; i++) userIds.push((await createUser(db.db, { email: `faults-${i}@tally.local`, name: `Faults ${i}`, password: null })).id);
		baseUrl = await startSupervisor(pg.url('tally'), await freePort());
	}, 180_000);

	afterAll(async () => {
		if (supervisor && supervisor.exitCode === null) {
			const exited = new Promise((r) => supervisor.once('exit', r));
			supervisor.kill('SIGTERM');
			await Promise.race([exited, pause(15_000)]);
		}
		await db?.close();
		await pg?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}, 60_000);

	it('answers settled only what is stored once, bills every retry once, 503s during the outage and recovers within seconds', async () => {
		const load = new UsageLoad({ baseUrl, apiKey, model: MODEL, userIds, clients: CLIENTS });
		const running = load.run();
		const phase = (SECONDS * 1000) / 5;

		// 1. Steady load, then kill -9 of the app; the supervisor starts it again.
		await pause(phase);
		const killedPid = appPids.at(-1)!;
		const killedAt = Date.now();
		process.kill(killedPid, 'SIGKILL');
		const restartMs = (await load.firstAnswerAfter(killedAt + 1, RESTART_BOUND_MS)) - killedAt;

		// 2. PostgreSQL stops mid-load; requests must get 503 quickly, not hang or 500.
		await pause(phase);
		await pg.stop();
		const outageFrom = Date.now();
		await pause(phase / 2);
		const page = await fetch(`${baseUrl}/login`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
		const trpc = await fetch(`${baseUrl}/api/trpc/usage.balance`, { headers: { authorization: `Bearer ${apiKey}` } });
		await pause(phase / 2);
		const outageTo = Date.now();
		pg = await startEmbeddedPostgres(dir, pgPort);
		const backAt = Date.now();
		const recoveryMs = (await load.firstAnswerAfter(backAt, RECOVERY_BOUND_MS)) - backAt;

		// 3. Steady load again, then stop and retry every event that got no answer.
		await pause(phase);
		await load.stop();
		await running;
		const retried = await load.retryUnanswered();

		const during = load.requests.filter((r) => r.startedAt >= outageFrom && r.startedAt < outageTo);
		const stored = await db.db.execute<{ request_id: string; cost: string; entries: string }>(sql`
			select u.request_id, u.cost, (select count(*) from ledger_entries e where e.idempotency_key = 'usage:' || u.request_id) as entries
			from usage_records u where u.request_id like 'f-%'`);
		const storedById = new Map(stored.map((r) => [r.request_id, { cost: Number(r.cost), entries: Number(r.entries) }]));
		const report = await verifyLedger(db.db);
		const answers = [...load.answers.values()].flat();
		const count = (status: Answer['status']) => answers.filter((a) => a.status === status).length;
		const figures = {
			requests: load.requests.length,
			events_sent: load.eventsSent,
			distinct_events: load.events.size,
			settled: count('settled'),
			duplicates: count('duplicate'),
			rejected: count('rejected'),
			retried_after_load: retried,
			answered_503: load.requests.filter((r) => r.status === 503).length,
			other_5xx: load.requests.filter((r) => r.status >= 500 && r.status !== 503).length,
			no_answer: load.requests.filter((r) => r.status === 0).length,
			requests_during_outage: during.length,
			max_latency_during_outage_ms: Math.max(0, ...during.map((r) => r.latencyMs)),
			app_restart_after_kill_ms: restartMs,
			recovery_after_postgres_back_ms: recoveryMs
		};
		console.log(`faults: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}`);

		// Every event answered settled is stored once, with its ledger entry, at the cost answered.
		for (const [id, list] of load.answers) {
			for (const a of list.filter((x) => x.status !== 'rejected')) {
				expect(storedById.get(id), id).toMatchObject({ cost: a.cost, entries: a.cost! > 0 ? 1 : 0 });
			}
		}
		// Every event sent was answered in the end (after retries), and nothing unanswered was stored twice.
		expect(load.unanswered.size).toBe(0);
		expect(stored.length).toBe(new Set(stored.map((r) => r.request_id)).size);
		expect([...storedById.keys()].every((id) => load.events.has(id))).toBe(true);
		expect(count('duplicate')).toBeGreaterThan(0);
		expect(report.drifts).toEqual([]);
		expect(report.orphanUsage).toBe(0);
		// The outage answered 503 with Retry-After, quickly; no 500s at any time.
		expect(during.length).toBeGreaterThan(0);
		expect(during.every((r) => r.status === 503 && r.retryAfter === '5')).toBe(true);
		expect(figures.max_latency_during_outage_ms).toBeLessThan(OUTAGE_LATENCY_BOUND_MS);
		expect(figures.other_5xx).toBe(0);
		expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
		// Pages and the browser's tRPC endpoint too.
		expect([page.status, page.headers.get('retry-after'), await page.text()]).toEqual([503, '5', expect.stringContaining('temporarily unavailable')]);
		expect([trpc.status, trpc.headers.get('retry-after')]).toEqual([503, '5']);
		expect(appPids.length).toBe(2);
	}, 240_000);
});
