// npm start: runs the built app (scripts/server.mjs over build/) under a supervisor that restarts it when it dies.
// The supervisor owns the embedded PostgreSQL (when DATABASE_URL is not set) and hands the app
// its DATABASE_URL, so a restarted app finds the database still up. SIGINT/SIGTERM stop the app,
// then the database. Env as for the app; SUPERVISOR_APP overrides the app's entry (default scripts/server.mjs).
import { spawn } from 'node:child_process';
import { tsImport } from 'tsx/esm/api';

const load = (file) => tsImport(`../src/lib/server/${file}`, import.meta.url);
const { config, ConfigError } = await load('config.ts');
// One tsImport per module graph: each call loads its own copies, so classes must come from the same call.
const { DatabaseUnavailableError, embeddedDatabase, redact } = await load('db/open.ts');
const { log } = await load('log.ts');

/** A run shorter than this counts as a failed start; this many in a row and the supervisor gives up. */
const QUICK_FAILURE_MS = 10_000;
const MAX_QUICK_FAILURES = 10;
const MAX_BACKOFF_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

function fail(err) {
	const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError;
	console.error(`Tally: ${known ? err.message : `Start-up failed: ${err?.message ?? err}`}`);
	process.exit(1);
}

let server;
try {
	const cfg = config();
	server = cfg.DATABASE_URL
		? { url: cfg.DATABASE_URL, source: `DATABASE_URL ${redact(cfg.DATABASE_URL)}`, stop: async () => {} }
		: await embeddedDatabase(cfg.DATA_DIR);
} catch (err) {
	fail(err);
}
log.info({ database: server.source }, 'supervisor: starting the app; it is restarted if it stops');

let child = null;
let startedAt = 0;
let quickFailures = 0;
let restartTimer = null;
let stopping = false;

function startApp() {
	restartTimer = null;
	startedAt = Date.now();
	child = spawn(process.execPath, [process.env.SUPERVISOR_APP ?? 'scripts/server.mjs'], {
		// The IPC channel closes if the supervisor is killed outright; the app then stops too (boot.ts).
		stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, DATABASE_URL: server.url, TALLY_SUPERVISED: '1' }
	});
	log.info({ pid: child.pid }, 'supervisor: app started');
	child.on('exit', (code, signal) => {
		child = null;
		if (stopping) return void shutDown();
		if (code === 0) {
			log.info('supervisor: app exited normally; stopping');
			return void shutDown();
		}
		const ran = Date.now() - startedAt;
		quickFailures = ran < QUICK_FAILURE_MS ? quickFailures + 1 : 1;
		if (quickFailures > MAX_QUICK_FAILURES) {
			log.error({ code, signal }, `supervisor: the app failed ${MAX_QUICK_FAILURES} times in a row within seconds of starting; giving up`);
			process.exitCode = 1;
			return void shutDown();
		}
		const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (quickFailures - 1));
		log.warn({ code, signal, ran_ms: ran, restart_in_ms: delay }, 'supervisor: app stopped; restarting');
		restartTimer = setTimeout(startApp, delay);
	});
}

let shutDownStarted = false;
async function shutDown() {
	if (shutDownStarted) return;
	shutDownStarted = true;
	await Promise.race([server.stop(), new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]).catch(() => {});
	process.exit();
}

function stop(signal) {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'supervisor: stopping the app and the database');
	if (restartTimer) clearTimeout(restartTimer);
	if (!child) return void shutDown();
	child.kill('SIGTERM');
	setTimeout(() => child?.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
startApp();
