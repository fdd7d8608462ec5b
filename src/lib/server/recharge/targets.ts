/** Whose wallet a recharge pays into: the caller's own, or that of an enterprise they administer. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { groupAdmins, groups } from '../db/schema';
import type { SessionUser } from '../auth/identity';
import { forbidden } from '../errors';
import { canAdministerGroup } from '../groups/access';
import { requireGroup } from '../groups/groups';
import { groupWalletId, userWalletId, walletBalance } from '../ledger/wallets';
import { choosePayer, payerOptions } from '../usage/payer-chain';

export interface FundedGroup {
	groupId: number;
	name: string;
}

/** Enterprises whose wallet this user may top up (the ones they administer). */
export async function fundableGroups(db: DbOrTx, userId: number) {
	return db
		.select({ id: groups.id, name: groups.name })
		.from(groupAdmins)
		.innerJoin(groups, eq(groups.id, groupAdmins.groupId))
		.where(eq(groupAdmins.userId, userId))
		.orderBy(groups.id);
}

/** The enterprise the caller names as the one to top up: unknown → group_not_found, not theirs → not_group_admin. */
export async function administeredGroup(db: DbOrTx, user: SessionUser, groupId: number): Promise<FundedGroup> {
	const group = await requireGroup(db, groupId);
	if (!(await canAdministerGroup(db, user, group.id))) throw forbidden('not_group_admin');
	return { groupId: group.id, name: group.name };
}

/** The enterprise that would pay this user's next request now, if any (else their own wallet pays). */
export async function enterprisePayingNow(db: DbOrTx, userId: number): Promise<FundedGroup | null> {
	const options = (await payerOptions(db, [userId], new Date())).get(userId) ?? [];
	const balances = new Map<number, number>();
	for (const o of options) if (o.groupId !== null) balances.set(o.walletId, await walletBalance(db, o.walletId));
	const payer = options.length > 0 ? choosePayer(options, 1, (id) => balances.get(id) ?? 0) : null;
	if (!payer || payer.groupId === null) return null;
	return { groupId: payer.groupId, name: await groupName(db, payer.groupId) ?? '' };
}

export async function groupName(db: DbOrTx, groupId: number): Promise<string | null> {
	const [group] = await db.select({ name: groups.name }).from(groups).where(eq(groups.id, groupId));
	return group?.name ?? null;
}

/** The wallet an order list is limited to: an enterprise's the caller administers, their own (`personal`), or none. */
export async function ordersWalletId(db: DbOrTx, user: SessionUser, q: { groupId?: number; personal?: boolean }): Promise<number | undefined> {
	if (q.groupId !== undefined) return groupWalletId(db, (await administeredGroup(db, user, q.groupId)).groupId);
	if (q.personal) return userWalletId(db, user.id);
	return undefined;
}
