import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { users, wallets } from '../db/schema';
import { forbidden, invalid, notFound } from '../errors';
import { canAdministerEnterprise } from '../enterprises/access';
import type { SessionUser } from '../auth/identity';

/** The user whose usage is read: the caller, or for a platform admin any user. */
export async function readableUser(db: DbOrTx, caller: SessionUser, userId: number | undefined) {
	if (userId === undefined || userId === caller.id) return { id: caller.id, name: caller.name, email: caller.email };
	if (caller.role !== 'admin') throw forbidden('not_your_data');
	const [row] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
	if (!row) throw notFound('user_not_found');
	return row;
}

/** A user's or an enterprise's wallet: its balance and low-balance alert threshold. */
export async function walletOf(db: DbOrTx, owner: { userId: number } | { enterpriseId: number }) {
	const where = 'enterpriseId' in owner ? eq(wallets.enterpriseId, owner.enterpriseId) : eq(wallets.userId, owner.userId);
	const [row] = await db.select({ id: wallets.id, balance: wallets.balance, alertThreshold: wallets.alertThreshold }).from(wallets).where(where);
	if (!row) throw notFound('enterpriseId' in owner ? 'enterprise_not_found' : 'user_not_found');
	return row;
}

/** The wallet whose history is read: a user's (as `readableUser`), or an enterprise's its admin asks for. */
export async function readableWallet(db: DbOrTx, caller: SessionUser, owner: { userId?: number; enterpriseId?: number }) {
	if (owner.userId !== undefined && owner.enterpriseId !== undefined) throw invalid('user_or_enterprise');
	if (owner.enterpriseId === undefined) return walletOf(db, { userId: (await readableUser(db, caller, owner.userId)).id });
	if (!(await canAdministerEnterprise(db, caller, owner.enterpriseId))) throw forbidden('not_your_data');
	return walletOf(db, { enterpriseId: owner.enterpriseId });
}
