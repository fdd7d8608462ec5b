import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './client';

function migrationsFolder(): string {
	const candidates = [path.resolve('drizzle'), path.resolve(import.meta.dirname ?? '.', '../../../../drizzle')];
	const found = candidates.find((dir) => existsSync(path.join(dir, 'meta', '_journal.json')));
	if (!found) throw new Error(`No migrations found (looked in ${candidates.join(', ')})`);
	return found;
}

export async function applyMigrations(db: Db): Promise<void> {
	await migrate(db, { migrationsFolder: migrationsFolder() });
}
