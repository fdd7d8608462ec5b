import { sql } from 'drizzle-orm';
import { DatabaseCircuit } from './circuit';
import type { OpenedDatabase } from './open';

let current: OpenedDatabase | undefined;
let circuit: DatabaseCircuit | undefined;

export function setAppDatabase(db: OpenedDatabase): void {
	current = db;
	circuit = new DatabaseCircuit(() => db.db.execute(sql`select 1`));
}

export function appDatabase(): OpenedDatabase {
	if (!current) throw new Error('The database is not open yet');
	return current;
}

/** The app database's availability; before the database is open, one whose probe always succeeds. */
export function databaseCircuit(): DatabaseCircuit {
	circuit ??= new DatabaseCircuit(() => Promise.resolve());
	return circuit;
}
