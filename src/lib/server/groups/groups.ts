import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { groupAdmins, groups, memberships, users, wallets } from '../db/schema';
import { createGroupWallet, groupWalletId } from '../ledger/wallets';
import { notFound } from '../errors';
import { walletHistory } from '../usage/wallet-history';

export interface GroupAdmin {
	id: number;
	name: string;
	email: string;
}

export interface GroupSummary {
	id: number;
	name: string;
	description: string;
	createdAt: Date;
	walletId: number;
	balance: number;
	memberCount: number;
	/** In the order they were named; the first is the group's "admin" in the API of requirement doc multi-group-credit-deduction. */
	admins: GroupAdmin[];
}

export async function requireGroup(db: DbOrTx, groupId: number) {
	const [group] = await db.select().from(groups).where(eq(groups.id, groupId));
	if (!group) throw notFound('group_not_found');
	return group;
}

export async function requireUser(db: DbOrTx, userId: number) {
	const [user] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
	if (!user) throw notFound('user_not_found');
	return user;
}

/** Resolves admin ids and emails to user ids; any unknown one is an error and nothing is created. */
async function resolveAdminIds(tx: DbOrTx, ids: number[], emails: string[]): Promise<number[]> {
	const resolved = new Set<number>();
	if (ids.length > 0) {
		const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids));
		if (found.length !== new Set(ids).size) throw notFound('user_not_found');
		found.forEach((u) => resolved.add(u.id));
	}
	if (emails.length > 0) {
		const found = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
		const known = new Set(found.map((u) => u.email));
		const unknown = emails.find((e) => !known.has(e));
		if (unknown) throw notFound('unknown_email');
		found.forEach((u) => resolved.add(u.id));
	}
	return [...resolved];
}

export async function createGroup(
	db: Db,
	input: { name: string; description: string; adminUserIds?: number[]; adminEmails?: string[] }
): Promise<GroupSummary> {
	const groupId = await db.transaction(async (tx) => {
		const adminIds = await resolveAdminIds(tx, input.adminUserIds ?? [], input.adminEmails ?? []);
		const [group] = await tx.insert(groups).values({ name: input.name, description: input.description }).returning({ id: groups.id });
		await createGroupWallet(tx, group.id);
		// Separate inserts give each admin a distinct created_at order.
		for (const userId of adminIds) await tx.insert(groupAdmins).values({ groupId: group.id, userId, createdAt: sql`clock_timestamp()` });
		return group.id;
	});
	return getGroup(db, groupId);
}

/** Replaces the group's admins with these (platform admin only). */
export async function setGroupAdmins(db: Db, groupId: number, emails: string[]): Promise<GroupSummary> {
	await db.transaction(async (tx) => {
		await requireGroup(tx, groupId);
		const adminIds = await resolveAdminIds(tx, [], emails);
		const current = await tx.select({ userId: groupAdmins.userId }).from(groupAdmins).where(eq(groupAdmins.groupId, groupId));
		const keep = new Set(adminIds);
		const drop = current.filter((a) => !keep.has(a.userId)).map((a) => a.userId);
		if (drop.length > 0) await tx.delete(groupAdmins).where(and(eq(groupAdmins.groupId, groupId), inArray(groupAdmins.userId, drop)));
		const existing = new Set(current.map((a) => a.userId));
		for (const userId of adminIds) {
			if (!existing.has(userId)) await tx.insert(groupAdmins).values({ groupId, userId, createdAt: sql`clock_timestamp()` });
		}
	});
	return getGroup(db, groupId);
}

export async function adminsOf(db: DbOrTx, groupIds: number[]): Promise<Map<number, GroupAdmin[]>> {
	const result = new Map<number, GroupAdmin[]>();
	if (groupIds.length === 0) return result;
	const rows = await db
		.select({ groupId: groupAdmins.groupId, id: users.id, name: users.name, email: users.email })
		.from(groupAdmins)
		.innerJoin(users, eq(users.id, groupAdmins.userId))
		.where(inArray(groupAdmins.groupId, groupIds))
		.orderBy(asc(groupAdmins.createdAt), asc(groupAdmins.userId));
	for (const { groupId, ...admin } of rows) {
		const list = result.get(groupId) ?? [];
		list.push(admin);
		result.set(groupId, list);
	}
	return result;
}

/** All groups, or only those in `onlyIds`. */
export async function listGroups(db: DbOrTx, onlyIds?: number[]): Promise<GroupSummary[]> {
	if (onlyIds && onlyIds.length === 0) return [];
	const memberCounts = db
		.select({ groupId: memberships.groupId, n: count().as('n') })
		.from(memberships)
		.where(eq(memberships.isActive, true))
		.groupBy(memberships.groupId)
		.as('member_counts');
	const rows = await db
		.select({
			id: groups.id,
			name: groups.name,
			description: groups.description,
			createdAt: groups.createdAt,
			walletId: wallets.id,
			balance: wallets.balance,
			memberCount: sql<number>`coalesce(${memberCounts.n}, 0)::int`
		})
		.from(groups)
		.innerJoin(wallets, eq(wallets.groupId, groups.id))
		.leftJoin(memberCounts, eq(memberCounts.groupId, groups.id))
		.where(onlyIds ? inArray(groups.id, onlyIds) : undefined)
		.orderBy(asc(groups.id));
	const admins = await adminsOf(db, rows.map((r) => r.id));
	return rows.map((r) => ({ ...r, admins: admins.get(r.id) ?? [] }));
}

export async function getGroup(db: DbOrTx, groupId: number): Promise<GroupSummary> {
	const [group] = await listGroups(db, [groupId]);
	if (!group) throw notFound('group_not_found');
	return group;
}

export async function groupsAdministeredBy(db: DbOrTx, userId: number): Promise<number[]> {
	const rows = await db.select({ groupId: groupAdmins.groupId }).from(groupAdmins).where(eq(groupAdmins.userId, userId));
	return rows.map((r) => r.groupId);
}

/** The group wallet's ledger, newest first, paged by entry id (the same query as every other wallet's history). */
export async function groupWalletHistory(db: DbOrTx, groupId: number, limit: number, beforeId?: number) {
	const page = await walletHistory(db, await groupWalletId(db, groupId), { before: beforeId, limit });
	return page.rows;
}
