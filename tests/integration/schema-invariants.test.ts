import { describe, expect, it } from 'vitest';
import { Column, is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';

const t = useTestDatabase();

/** The constraint a statement broke, or null when the database took it. */
async function brokenConstraint(statement: ReturnType<typeof sql>): Promise<string | null> {
	try {
		await t.db.execute(statement);
		return null;
	} catch (err) {
		const cause = (err as { cause?: { constraint_name?: string } }).cause ?? (err as { constraint_name?: string });
		return cause.constraint_name ?? String(err);
	}
}

describe('the schema states its enums', () => {
	it('refuses a role, locale or login type no code knows, whoever writes', async () => {
		const user = await makeUser(t.db);
		expect(await brokenConstraint(sql`update users set role = 'root' where id = ${user.id}`)).toBe('users_role');
		expect(await brokenConstraint(sql`update users set locale = 'fr' where id = ${user.id}`)).toBe('users_locale');
		expect(await brokenConstraint(sql`update users set login_type = 'fax' where id = ${user.id}`)).toBe('users_login_type');
		expect(await brokenConstraint(sql`update users set role = 'service', login_type = 'sms' where id = ${user.id}`)).toBeNull();
	});

	it('refuses an order status outside its life cycle', async () => {
		const user = await makeUser(t.db);
		const [{ id: walletId }] = (await t.db.execute(sql`select id from wallets where user_id = ${user.id}`)) as unknown as { id: number }[];
		const insert = (status: string) =>
			sql`insert into orders (public_id, user_id, wallet_id, amount, currency, status, provider, expires_at)
				values (${'T' + status + user.id}, ${user.id}, ${walletId}, 10000, 'CNY', ${status}, 'sandbox', now())`;
		expect(await brokenConstraint(insert('shipped'))).toBe('orders_status');
		expect(await brokenConstraint(insert('pending'))).toBeNull();
	});

	it('refuses an order kind no code knows', async () => {
		const user = await makeUser(t.db);
		const [{ id: walletId }] = (await t.db.execute(sql`select id from wallets where user_id = ${user.id}`)) as unknown as { id: number }[];
		const insert = (kind: string) =>
			sql`insert into orders (public_id, user_id, wallet_id, amount, currency, kind, provider, expires_at)
				values (${'K' + kind + user.id}, ${user.id}, ${walletId}, 10000, 'CNY', ${kind}, 'sandbox', now())`;
		expect(await brokenConstraint(insert('gift'))).toBe('orders_kind');
		expect(await brokenConstraint(insert('package'))).toBeNull();
	});
});

/** Each CHECK built from a TypeScript list, with that list. */
const listChecks: Array<[constraint: string, values: readonly string[]]> = [
	['users_role', schema.roles],
	['users_locale', schema.locales],
	['users_login_type', schema.loginTypes],
	['wallets_owner_type', schema.walletOwnerTypes],
	['ledger_entries_kind', schema.entryKinds],
	['credit_grants_source', schema.grantSources],
	['credit_grants_unit', schema.grantUnits],
	['packages_unit', schema.grantUnits],
	['orders_kind', schema.orderKinds],
	['orders_status', schema.orderStatuses],
	['holds_status', schema.holdStatuses],
	['hold_events_event', schema.holdEventKinds],
	['enterprise_invitations_status_check', schema.invitationStatuses],
	['models_type', schema.modelTypes],
	['plans_period', schema.planPeriods],
	['subscriptions_status', schema.subscriptionStatuses],
	['alerts_kind', schema.alertKinds],
	['alert_deliveries_channel', schema.alertChannels],
	['alert_deliveries_status', schema.alertDeliveryStatuses],
	['code_batches_kind', schema.codeBatchKinds],
	['rebates_status', schema.rebateStatuses]
];

describe('the migrated CHECKs hold the TypeScript lists', () => {
	it('each listed CHECK allows exactly its list', async () => {
		const rows = (await t.db.execute(sql`select conname, pg_get_constraintdef(oid) as def from pg_constraint where contype = 'c'`)) as unknown as {
			conname: string;
			def: string;
		}[];
		const defs = new Map(rows.map((r) => [r.conname, r.def]));
		for (const [constraint, values] of listChecks) {
			const def = defs.get(constraint);
			expect(def, constraint).toBeDefined();
			const allowed = [...def!.matchAll(/'([^']*)'::text/g)].map((m) => m[1]);
			expect(allowed, constraint).toEqual([...values]);
		}
	});

	it('every text column typed by a list has a CHECK from that list', () => {
		const checked = new Map(listChecks);
		for (const table of (Object.values(schema) as unknown[]).filter((x): x is PgTable => is(x, PgTable))) {
			const config = getTableConfig(table);
			for (const column of config.columns) {
				if (!column.enumValues?.length) continue;
				const check = config.checks.find((c) => checked.get(c.name)?.join() === column.enumValues!.join() && c.value.queryChunks.some((chunk) => is(chunk, Column) && chunk.name === column.name));
				expect(check?.name, `${config.name}.${column.name}`).toBeDefined();
			}
		}
	});
});
