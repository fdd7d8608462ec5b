import { afterAll, beforeAll, inject } from 'vitest';
import postgres from 'postgres';
import { connect, type DbHandle } from '../../src/lib/server/db/client';

let counter = 0;

export interface TestDatabase extends DbHandle {
	url: string;
	name: string;
}

/** A fresh database cloned from the migrated template. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
	const adminUrl = inject('pgAdminUrl');
	const template = inject('templateDb');
	const ppid = template.replace('tally_tpl_', '');
	const name = `tally_t_${ppid}_${process.pid}_${Date.now()}_${counter++}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database "${name}" template "${template}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const handle = connect(url.toString(), { max: poolSize });
	return {
		...handle,
		url: url.toString(),
		name,
		close: async () => {
			await handle.close();
			const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
			await a.end();
		}
	};
}

/** Use in a test file: `const t = useTestDatabase();` then `t.db` inside tests. */
export function useTestDatabase(poolSize = 10) {
	const holder = {} as { handle: TestDatabase };
	beforeAll(async () => {
		holder.handle = await createTestDatabase(poolSize);
	});
	afterAll(async () => {
		await holder.handle?.close();
	});
	return {
		get db() {
			return holder.handle.db;
		},
		get sql() {
			return holder.handle.sql;
		},
		get url() {
			return holder.handle.url;
		}
	};
}
