import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import type { AuthedKey, SessionUser } from '../../src/lib/server/auth/identity';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { contextFor, makeUser } from './callers';

/** A REST call as a client makes it, through the app's /api/v1 adapter. */
export function restCall(db: Db, method: string, path: string, user: SessionUser | null, apiKey: AuthedKey | null, body?: unknown) {
	const req = new Request(`http://tally.test/api/v1${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return handleOpenApiRequest(req, () => contextFor(db, user, { apiKey }));
}

/** A gateway account with a usage:write key, and a REST caller acting as it. */
export async function makeGateway(db: Db) {
	const owner = await makeUser(db, { role: 'service' });
	const key = await createApiKey(db, owner.id, { name: 'gateway', scopes: ['usage:write'] });
	const apiKey: AuthedKey = { id: key.id, scopes: key.scopes };
	return {
		owner,
		call: (method: string, path: string, body?: unknown) => restCall(db, method, path, owner, apiKey, body)
	};
}

/** Rows in the tables a refused money request must not touch. */
export async function moneyRows(db: Db) {
	const [r] = await db.execute<{ holds: number; events: number; entries: number; usage: number; grants: number }>(sql`
		select (select count(*)::int from holds) as holds, (select count(*)::int from hold_events) as events,
			(select count(*)::int from ledger_entries) as entries, (select count(*)::int from usage_records) as usage,
			(select count(*)::int from credit_grants) as grants`);
	return r;
}

export async function holdState(db: Db, requestId: string) {
	const [h] = await db.execute<{ status: string; captured_cost: string | null; events: string }>(sql`
		select h.status, h.captured_cost, (select string_agg(e.event, ',' order by e.id) from hold_events e where e.hold_id = h.id) as events
		from holds h where h.request_id = ${requestId}`);
	return h;
}
