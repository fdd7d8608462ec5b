import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; every service accepts either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
	db: Db;
	sql: postgres.Sql;
	close(): Promise<void>;
}

/** Seconds to wait for a new connection; a request during an outage fails within this bound. */
export const CONNECT_TIMEOUT_SECONDS = 2;

export function connect(url: string, opts: { max?: number } = {}): DbHandle {
	const sql = postgres(url, {
		max: opts.max ?? 10,
		connect_timeout: CONNECT_TIMEOUT_SECONDS,
		onnotice: () => {},
		connection: { application_name: 'tally' }
	});
	const db = drizzle(sql, { schema });
	return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
