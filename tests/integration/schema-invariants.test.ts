import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
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
});
