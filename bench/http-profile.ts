/**
 * The HTTP metering path under wrk, for profiling (`npx vite build`, then `npx tsx bench/http-profile.ts`):
 * the built app (scripts/server.mjs) runs with `node --cpu-prof` (profile in PROFILE_DIR, default
 * /tmp/tally-http-prof) while BENCH_CONNECTIONS (64) wrk connections report one event per request
 * on one hot wallet for BENCH_SECONDS (8). PROFILE_ROUTE=reserve profiles reserve-then-settle pairs
 * instead (BENCH_CONNECTIONS wrk connections, bench/pairs-wrk.lua); PROFILE_ROUTE=invalid sends events the schema refuses
 * (user_id 0), which costs no settlement: the HTTP, auth and tRPC path alone; PROFILE_ROUTE=batch reports
 * batches of BENCH_BATCH (1000) events from BENCH_BATCH_CLIENTS (4) fetch loops.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { createApiKey } from '../src/lib/server/auth/api-keys';
import { setModelPrice } from '../src/lib/server/usage/models';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const BATCH_CLIENTS = Number(process.env.BENCH_BATCH_CLIENTS ?? 4);
const PROFILE_DIR = process.env.PROFILE_DIR ?? '/tmp/tally-http-prof';
const ROUTE = (['reserve', 'invalid', 'batch'] as const).find((r) => r === process.env.PROFILE_ROUTE) ?? 'report';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-prof-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 4 });
try {
	await applyMigrations(handle.db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000_000, LOG_SETTLEMENTS: false });
	const admin = await createUser(handle.db, { email: 'a@tally.local', name: 'A', password: null, role: 'admin' });
	const service = await createUser(handle.db, { email: 'gw@tally.local', name: 'GW', password: null, role: 'service' });
	const user = await createUser(handle.db, { email: 'u@tally.local', name: 'U', password: null });
	const key = await createApiKey(handle.db, service.id, { name: 'gw', scopes: ['usage:write'] });
	await setModelPrice(handle.db, { code: 'bench-model', provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const app = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, 'scripts/server.mjs'], {
		env: { ...process.env, DATABASE_URL: pg.url('tally'), PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, SEED_DEMO: '0', LOG_SETTLEMENTS: '0', NODE_ENV: 'production' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; ; i++) {
		try {
			await fetch(url);
			break;
		} catch {
			if (i > 150) throw new Error('app did not start');
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	const env = { ...process.env, BENCH_KEY: key.key, BENCH_MODEL: 'bench-model', BENCH_USER_MIN: String(ROUTE === 'invalid' ? 0 : user.id), BENCH_USER_MAX: String(ROUTE === 'invalid' ? 0 : user.id) };
	const headers = { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' };
	const post = (path: string, body: unknown) => fetch(`${url}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
	/** `clients` loops calling `step(client, i)` until SECONDS have passed; the sum of what the steps counted. */
	const loop = async (clients: number, step: (client: number, i: number) => Promise<number>) => {
		const until = Date.now() + SECONDS * 1000;
		const counts = await Promise.all(
			Array.from({ length: clients }, async (_, c) => {
				let counted = 0;
				for (let i = 0; Date.now() < until; i++) counted += await step(c, i);
				return counted;
			})
		);
		return counts.reduce((a, b) => a + b, 0);
	};
	if (ROUTE === 'batch') {
		const settled = await loop(BATCH_CLIENTS, async (c, b) => {
			const events = Array.from({ length: BATCH }, (_, i) => ({ request_id: `b-${c}-${b}-${i}`, user_id: user.id, model: 'bench-model', input_tokens: 200 + i, output_tokens: 50 + (i % 800) }));
			return ((await (await post('/usage', { events })).json()) as { settled?: number }).settled ?? 0;
		});
		console.log(`batches: ${Math.round(settled / SECONDS)} events/s`);
	} else if (ROUTE !== 'reserve') {
		spawnSync('wrk', ['-t2', `-c${CONNECTIONS}`, '-d2s', '-s', 'bench/usage-wrk.lua', url], { env: { ...env, BENCH_PREFIX: 'warm' } });
		const out = spawnSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', 'bench/usage-wrk.lua', url], { env: { ...env, BENCH_PREFIX: 'prof' }, encoding: 'utf8' });
		console.log(out.stdout);
	} else {
		const out = spawnSync('wrk', [`-t${CONNECTIONS}`, `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', 'bench/pairs-wrk.lua', url], { env: { ...env, BENCH_PREFIX: 'pair' }, encoding: 'utf8' });
		console.log(out.stdout);
		console.log(`reserve-then-settle: ${Math.round(Number(out.stdout.match(/^pairs: (\d+)$/m)?.[1] ?? 0) / SECONDS)} pairs/s`);
	}
	app.kill('SIGTERM');
	await new Promise((r) => app.on('exit', r));
	console.log(`profile written to ${PROFILE_DIR}`);
} finally {
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
