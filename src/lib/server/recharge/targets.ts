/** Whose wallet a recharge pays into: the caller's own, or that of an enterprise they administer. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { enterpriseAdmins, enterprises } from '../db/schema';
import type { SessionUser } from '../auth/identity';
import { forbidden } from '../errors';
import { canAdministerEnterprise } from '../enterprises/access';
import { requireEnterprise } from '../enterprises/enterprises';
import { enterpriseWalletId, userWalletId, walletBalance } from '../ledger/wallets';
import { choosePayer, payerOptions } from '../usage/payer-chain';

export interface FundedEnterprise {
	enterpriseId: number;
	name: string;
}

/** Enterprises whose wallet this user may top up (the ones they administer). */
export async function fundableEnterprises(db: DbOrTx, userId: number) {
	return db
		.select({ id: enterprises.id, name: enterprises.name })
		.from(enterpriseAdmins)
		.innerJoin(enterprises, eq(enterprises.id, enterpriseAdmins.enterpriseId))
		.where(eq(enterpriseAdmins.userId, userId))
		.orderBy(enterprises.id);
}

/** The enterprise the caller names as the one to top up: unknown → enterprise_not_found, not theirs → not_enterprise_admin. */
export async function administeredEnterprise(db: DbOrTx, user: SessionUser, enterpriseId: number): Promise<FundedEnterprise> {
	const enterprise = await requireEnterprise(db, enterpriseId);
	if (!(await canAdministerEnterprise(db, user, enterprise.id))) throw forbidden('not_enterprise_admin');
	return { enterpriseId: enterprise.id, name: enterprise.name };
}

/** The enterprise that would pay this user's next request now, if any (else their own wallet pays). */
export async function enterprisePayingNow(db: DbOrTx, userId: number): Promise<FundedEnterprise | null> {
	const options = (await payerOptions(db, [userId], new Date())).get(userId) ?? [];
	const balances = new Map<number, number>();
	for (const o of options) if (o.enterpriseId !== null) balances.set(o.walletId, await walletBalance(db, o.walletId));
	const payer = options.length > 0 ? choosePayer(options, 1, (id) => balances.get(id) ?? 0) : null;
	if (!payer || payer.enterpriseId === null) return null;
	return { enterpriseId: payer.enterpriseId, name: await enterpriseName(db, payer.enterpriseId) ?? '' };
}

export async function enterpriseName(db: DbOrTx, enterpriseId: number): Promise<string | null> {
	const [enterprise] = await db.select({ name: enterprises.name }).from(enterprises).where(eq(enterprises.id, enterpriseId));
	return enterprise?.name ?? null;
}

/** The wallet an order list is limited to: an enterprise's the caller administers, their own (`personal`), or none. */
export async function ordersWalletId(db: DbOrTx, user: SessionUser, q: { enterpriseId?: number; personal?: boolean }): Promise<number | undefined> {
	if (q.enterpriseId !== undefined) return enterpriseWalletId(db, (await administeredEnterprise(db, user, q.enterpriseId)).enterpriseId);
	if (q.personal) return userWalletId(db, user.id);
	return undefined;
}
