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
		// Only named (prepared) statements and PL/pgSQL functions use the plan cache: the metering
		// statements (db/prepared.ts, usage/metering-lookups.ts) and settle_usage/reserve_holds. They
		// look rows up by key, so one plan serves every parameter. By default the server re-plans a
		// statement whose generic plan it costs higher, on every call: the model lookup, once per batch.
		connection: { application_name: 'tally', plan_cache_mode: 'force_generic_plan' }
	});
	const db = drizzle(sql, { schema });
	return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
