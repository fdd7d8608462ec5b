import type { OpenedDatabase } from './open';

let current: OpenedDatabase | undefined;

export function setAppDatabase(db: OpenedDatabase): void {
	current = db;
}

export function appDatabase(): OpenedDatabase {
	if (!current) throw new Error('The database is not open yet');
	return current;
}
