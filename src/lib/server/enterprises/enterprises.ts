import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { enterpriseAdmins, enterprises, memberships, users, wallets } from '../db/schema';
import { createEnterpriseWallet, enterpriseWalletId } from '../ledger/wallets';
import { notFound } from '../errors';
import { walletHistory } from '../usage/wallet-history';

export interface EnterpriseAdmin {
	id: number;
	name: string;
	email: string;
}

export interface EnterpriseSummary {
	id: number;
	name: string;
	description: string;
	createdAt: Date;
	walletId: number;
	balance: number;
	memberCount: number;
	/** In the order they were named; the first is the enterprise's "admin" in the API of requirement doc multi-group-credit-deduction. */
	admins: EnterpriseAdmin[];
}

export async function requireEnterprise(db: DbOrTx, enterpriseId: number) {
	const [enterprise] = await db.select().from(enterprises).where(eq(enterprises.id, enterpriseId));
	if (!enterprise) throw notFound('enterprise_not_found');
	return enterprise;
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

export async function createEnterprise(
	db: Db,
	input: { name: string; description: string; adminUserIds?: number[]; adminEmails?: string[] }
): Promise<EnterpriseSummary> {
	const enterpriseId = await db.transaction(async (tx) => {
		const adminIds = await resolveAdminIds(tx, input.adminUserIds ?? [], input.adminEmails ?? []);
		const [enterprise] = await tx.insert(enterprises).values({ name: input.name, description: input.description }).returning({ id: enterprises.id });
		await createEnterpriseWallet(tx, enterprise.id);
		// Separate inserts give each admin a distinct created_at order.
		for (const userId of adminIds) await tx.insert(enterpriseAdmins).values({ enterpriseId: enterprise.id, userId, createdAt: sql`clock_timestamp()` });
		return enterprise.id;
	});
	return getEnterprise(db, enterpriseId);
}

/** Replaces the enterprise's admins with these (platform admin only). */
export async function setEnterpriseAdmins(db: Db, enterpriseId: number, emails: string[]): Promise<EnterpriseSummary> {
	await db.transaction(async (tx) => {
		await requireEnterprise(tx, enterpriseId);
		const adminIds = await resolveAdminIds(tx, [], emails);
		const current = await tx.select({ userId: enterpriseAdmins.userId }).from(enterpriseAdmins).where(eq(enterpriseAdmins.enterpriseId, enterpriseId));
		const keep = new Set(adminIds);
		const drop = current.filter((a) => !keep.has(a.userId)).map((a) => a.userId);
		if (drop.length > 0) await tx.delete(enterpriseAdmins).where(and(eq(enterpriseAdmins.enterpriseId, enterpriseId), inArray(enterpriseAdmins.userId, drop)));
		const existing = new Set(current.map((a) => a.userId));
		for (const userId of adminIds) {
			if (!existing.has(userId)) await tx.insert(enterpriseAdmins).values({ enterpriseId, userId, createdAt: sql`clock_timestamp()` });
		}
	});
	return getEnterprise(db, enterpriseId);
}

export async function adminsOf(db: DbOrTx, enterpriseIds: number[]): Promise<Map<number, EnterpriseAdmin[]>> {
	const result = new Map<number, EnterpriseAdmin[]>();
	if (enterpriseIds.length === 0) return result;
	const rows = await db
		.select({ enterpriseId: enterpriseAdmins.enterpriseId, id: users.id, name: users.name, email: users.email })
		.from(enterpriseAdmins)
		.innerJoin(users, eq(users.id, enterpriseAdmins.userId))
		.where(inArray(enterpriseAdmins.enterpriseId, enterpriseIds))
		.orderBy(asc(enterpriseAdmins.createdAt), asc(enterpriseAdmins.userId));
	for (const { enterpriseId, ...admin } of rows) {
		const list = result.get(enterpriseId) ?? [];
		list.push(admin);
		result.set(enterpriseId, list);
	}
	return result;
}

/** All enterprises, or only those in `onlyIds`. */
export async function listEnterprises(db: DbOrTx, onlyIds?: number[]): Promise<EnterpriseSummary[]> {
	if (onlyIds && onlyIds.length === 0) return [];
	const memberCounts = db
		.select({ enterpriseId: memberships.enterpriseId, n: count().as('n') })
		.from(memberships)
		.where(eq(memberships.isActive, true))
		.groupBy(memberships.enterpriseId)
		.as('member_counts');
	const rows = await db
		.select({
			id: enterprises.id,
			name: enterprises.name,
			description: enterprises.description,
			createdAt: enterprises.createdAt,
			walletId: wallets.id,
			balance: wallets.balance,
			memberCount: sql<number>`coalesce(${memberCounts.n}, 0)::int`
		})
		.from(enterprises)
		.innerJoin(wallets, eq(wallets.enterpriseId, enterprises.id))
		.leftJoin(memberCounts, eq(memberCounts.enterpriseId, enterprises.id))
		.where(onlyIds ? inArray(enterprises.id, onlyIds) : undefined)
		.orderBy(asc(enterprises.id));
	const admins = await adminsOf(db, rows.map((r) => r.id));
	return rows.map((r) => ({ ...r, admins: admins.get(r.id) ?? [] }));
}

export async function getEnterprise(db: DbOrTx, enterpriseId: number): Promise<EnterpriseSummary> {
	const [enterprise] = await listEnterprises(db, [enterpriseId]);
	if (!enterprise) throw notFound('enterprise_not_found');
	return enterprise;
}

export async function enterprisesAdministeredBy(db: DbOrTx, userId: number): Promise<number[]> {
	const rows = await db.select({ enterpriseId: enterpriseAdmins.enterpriseId }).from(enterpriseAdmins).where(eq(enterpriseAdmins.userId, userId));
	return rows.map((r) => r.enterpriseId);
}

/** The enterprise wallet's ledger, newest first, paged by entry id (the same query as every other wallet's history). */
export async function enterpriseWalletHistory(db: DbOrTx, enterpriseId: number, limit: number, beforeId?: number) {
	const page = await walletHistory(db, await enterpriseWalletId(db, enterpriseId), { before: beforeId, limit });
	return page.rows;
}
