import { config, ConfigError } from './config';
import { ensureConfiguredAdmin } from './auth/accounts';
import { applyMigrations } from './db/migrate';
import { applyDefaultThreshold } from './ledger/alert-threshold';
import { DatabaseUnavailableError, openDatabase, type OpenedDatabase } from './db/open';
import { demoSignIns, seedDemo } from './seed/demo';

/** Opens the database, applies migrations and loads demo data on an empty instance. */
export async function boot(log: (line: string) => void = console.log): Promise<OpenedDatabase> {
	const cfg = config();
	const opened = await openDatabase(cfg);
	try {
		await applyMigrations(opened.db);
		await applyDefaultThreshold(opened.db, cfg.LOW_BALANCE_CREDITS);
		await ensureConfiguredAdmin(opened.db);
		if (cfg.SEED_DEMO && (await seedDemo(opened.db))) {
			log(`Tally: demo data loaded. Sign in with:\n${demoSignIns()}`);
		}
	} catch (err) {
		await opened.shutdown().catch(() => {});
		throw err;
	}
	log(`Tally: database ready (${opened.source})`);
	stopWithSupervisor();
	return opened;
}

/**
 * Under scripts/start.mjs the app holds an IPC channel to its supervisor; if the supervisor is
 * killed outright the channel closes, and the app shuts down instead of keeping the port.
 */
function stopWithSupervisor(): void {
	if (process.env.TALLY_SUPERVISED === '1' && process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** Start-up failures are one line and a non-zero exit, never a stack dump. */
export function exitOnBootFailure(err: unknown): never {
	const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError;
	const message = known ? (err as Error).message : `Start-up failed: ${(err as Error)?.message ?? String(err)}`;
	console.error(`Tally: ${message}`);
	process.exit(1);
}
