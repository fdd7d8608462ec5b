import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PostgresJsSession } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { DbOrTx } from './client';

const dialect = new PgDialect();

/**
 * `db.execute` for the metering path's statements, as a prepared statement of the connection it runs
 * on (the transaction's, on a transaction). drizzle sends every statement unprepared, and postgres.js
 * then asks the server for the parameter types first: two round trips, and no other statement can be
 * pipelined behind it. Prepared, postgres.js knows the types after the connection's first use: one
 * round trip, pipelined, parsed once per connection. Only for texts that do not vary with the input
 * (ids as one jsonb or array parameter, never `in (…)` lists): each distinct text stays prepared on
 * every connection that ran it.
 */
export async function executePrepared<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
	const { sql: text, params } = dialect.sqlToQuery(query);
	const client = (db._.session as unknown as PostgresJsSession<postgres.Sql, Record<string, unknown>, never>).client;
	return (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
}
