import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { Config } from '../config';
import { connect, type DbHandle } from './client';
import { ensureDatabase, startEmbeddedPostgres } from './embedded';
import { DatabaseUnavailableError } from './outage';

export const APP_DATABASE = 'tally';

export interface OpenedDatabase extends DbHandle {
	/** Where it came from, for the start-up line. */
	source: string;
	/** Closes the pool and, if this process started the embedded server, stops it. */
	shutdown(): Promise<void>;
}

export { DatabaseUnavailableError };

async function reachable(url: string): Promise<boolean> {
	const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await probe`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await probe.end({ timeout: 1 }).catch(() => {});
	}
}

/** The port of an embedded server another process (the running app) already started in DATA_DIR. */
function runningEmbeddedPort(dataDir: string): number | null {
	const pidFile = path.resolve(dataDir, 'pg', 'postmaster.pid');
	if (!existsSync(pidFile)) return null;
	const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
	return Number.isInteger(port) && port > 0 ? port : null;
}

/** A server holding the app database, and how to stop it if this process owns it. */
export interface DatabaseServer {
	url: string;
	source: string;
	/** Stops the server if this process started it; joining a running one leaves it running. */
	stop(): Promise<void>;
}

/**
 * The embedded PostgreSQL in DATA_DIR: the one another process (the running app or its
 * supervisor) already started there, or a new one, with the app database created.
 */
export async function embeddedDatabase(dataDir: string): Promise<DatabaseServer> {
	const port = runningEmbeddedPort(dataDir);
	if (port) {
		const url = `postgres://tally:tally@127.0.0.1:${port}/${APP_DATABASE}`;
		if (await reachable(url)) return { url, source: `embedded PostgreSQL already running in ${dataDir}`, stop: async () => {} };
	}
	let server;
	try {
		server = await startEmbeddedPostgres(dataDir);
	} catch (err) {
		if (err instanceof DatabaseUnavailableError) throw err;
		throw new DatabaseUnavailableError(
			`Cannot start the embedded PostgreSQL in DATA_DIR=${dataDir} (${(err as Error).message ?? err}); set DATA_DIR to a writable folder or DATABASE_URL to a server`
		);
	}
	await ensureDatabase(server.url('postgres'), APP_DATABASE);
	return { url: server.url(APP_DATABASE), source: `embedded PostgreSQL in ${path.resolve(dataDir)}`, stop: () => server.stop() };
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR, joining the one
 * already running there or starting it. Used by the app and by the CLI alike.
 */
export async function openDatabase(cfg: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, poolSize = 20): Promise<OpenedDatabase> {
	if (cfg.DATABASE_URL) {
		if (!(await reachable(cfg.DATABASE_URL))) {
			throw new DatabaseUnavailableError(`Cannot reach the database at DATABASE_URL (${redact(cfg.DATABASE_URL)})`);
		}
		const handle = connect(cfg.DATABASE_URL, { max: poolSize });
		return { ...handle, source: `DATABASE_URL ${redact(cfg.DATABASE_URL)}`, shutdown: handle.close };
	}
	const server = await embeddedDatabase(cfg.DATA_DIR);
	const handle = connect(server.url, { max: poolSize });
	return {
		...handle,
		source: server.source,
		shutdown: async () => {
			await handle.close();
			await server.stop();
		}
	};
}

export function redact(url: string): string {
	return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
