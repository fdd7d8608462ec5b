import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { users, wallets } from '../db/schema';
import { forbidden, invalid, notFound } from '../errors';
import { canAdministerGroup } from '../groups/access';
import type { SessionUser } from '../auth/identity';

/** The user whose usage is read: the caller, or for a platform admin any user. */
export async function readableUser(db: DbOrTx, caller: SessionUser, userId: number | undefined) {
	if (userId === undefined || userId === caller.id) return { id: caller.id, name: caller.name, email: caller.email };
	if (caller.role !== 'admin') throw forbidden('not_your_data');
	const [row] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
	if (!row) throw notFound('user_not_found');
	return row;
}

/** A user's or a group's wallet: its balance and low-balance alert threshold. */
export async function walletOf(db: DbOrTx, owner: { userId: number } | { groupId: number }) {
	const where = 'groupId' in owner ? eq(wallets.groupId, owner.groupId) : eq(wallets.userId, owner.userId);
	const [row] = await db.select({ id: wallets.id, balance: wallets.balance, alertThreshold: wallets.alertThreshold }).from(wallets).where(where);
	if (!row) throw notFound('groupId' in owner ? 'group_not_found' : 'user_not_found');
	return row;
}

/** The wallet whose history is read: a user's (as `readableUser`), or a group's its admin asks for. */
export async function readableWallet(db: DbOrTx, caller: SessionUser, owner: { userId?: number; groupId?: number }) {
	if (owner.userId !== undefined && owner.groupId !== undefined) throw invalid('user_or_group');
	if (owner.groupId === undefined) return walletOf(db, { userId: (await readableUser(db, caller, owner.userId)).id });
	if (!(await canAdministerGroup(db, caller, owner.groupId))) throw forbidden('not_your_data');
	return walletOf(db, { groupId: owner.groupId });
}
