import { and, asc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { users, wallets } from '../db/schema';
import { invalid, notFound } from '../errors';
import { forgetKeyChecks } from './api-keys';
import { containsPattern } from '../db/like';

/** An account as the admin pages list it, with its wallet balance (read through a left join on wallets). */
const accountColumns = {
	id: users.id,
	email: users.email,
	name: users.name,
	role: users.role,
	externalId: users.externalId,
	createdAt: users.createdAt,
	disabledAt: users.disabledAt,
	balance: sql<number>`coalesce(${wallets.balance}, 0)`.mapWith(Number)
};

/**
 * Accounts whose email, name or external id contains `text` (any, when empty), oldest first, with
 * their wallet balance: the admin users page and the people pickers both search here.
 */
export async function searchUsers(db: DbOrTx, text: string | undefined, limit: number) {
	const pattern = text ? containsPattern(text) : null;
	return db
		.select({
			...accountColumns,
			loginType: users.loginType,
			phone: users.phone,
			wechatOpenid: users.wechatOpenid,
			wechatUnionid: users.wechatUnionid,
			alipayUserid: users.alipayUserid,
			contactEmail: users.contactEmail
		})
		.from(users)
		.leftJoin(wallets, eq(wallets.userId, users.id))
		.where(pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern), ilike(users.externalId, pattern)) : undefined)
		.orderBy(asc(users.id))
		.limit(limit);
}

/** A platform admin makes an account a user or an admin; never themself a user, never a service account anything else. */
export async function setUserRole(db: DbOrTx, actorId: number, userId: number, role: 'user' | 'admin') {
	if (userId === actorId && role !== 'admin') throw invalid('cannot_demote_self');
	// A service account stays one: it has no password, and its keys' scopes were checked against that role.
	const [row] = await db
		.update(users)
		.set({ role })
		.where(and(eq(users.id, userId), ne(users.role, 'service')))
		.returning({ id: users.id, role: users.role });
	// Keys act with their owner's role; this process stops reusing the old one at once.
	if (row) forgetKeyChecks();
	if (row) return row;
	const [existing] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
	throw existing ? invalid('service_account_role') : notFound('user_not_found');
}

/** One account for the admin's user detail page, with its wallet balance. */
export async function userDetail(db: DbOrTx, userId: number) {
	const [row] = await db
		.select(accountColumns)
		.from(users)
		.leftJoin(wallets, eq(wallets.userId, users.id))
		.where(eq(users.id, userId));
	if (!row) throw notFound('user_not_found');
	return row;
}
