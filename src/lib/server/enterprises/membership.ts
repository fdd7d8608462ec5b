import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { enterprises, memberships, users, wallets } from '../db/schema';
import { requireEnterprise, requireUser } from './enterprises';
import { invalid, notFound } from '../errors';

export type Membership = typeof memberships.$inferSelect;

/** Payment order: the member's own priority when set, else join order; ties by membership id. */
export const paymentOrder = [sql`${memberships.priority} asc nulls last`, asc(memberships.joinedAt), asc(memberships.id)];

/** Adds the user; an already-active member gets their existing membership back, unchanged. */
export async function addMember(
	db: DbOrTx,
	enterpriseId: number,
	userId: number,
	addedBy: number | null
): Promise<{ membership: Membership; created: boolean }> {
	await requireEnterprise(db, enterpriseId);
	await requireUser(db, userId);
	// The partial unique index (one active membership per user and enterprise) makes a duplicate a no-op.
	const [created] = await db.insert(memberships).values({ enterpriseId, userId, addedBy }).onConflictDoNothing().returning();
	if (created) return { membership: created, created: true };
	const [existing] = await db
		.select()
		.from(memberships)
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, userId), eq(memberships.isActive, true)));
	if (!existing) throw new Error(`membership of user ${userId} in enterprise ${enterpriseId} vanished while adding`);
	return { membership: existing, created: false };
}

/** Soft delete: the row stays with is_active false and left_at set. Removing a non-member answers its last membership. */
export async function removeMember(db: DbOrTx, enterpriseId: number, userId: number): Promise<{ membership: Membership; removed: boolean }> {
	await requireEnterprise(db, enterpriseId);
	await requireUser(db, userId);
	const [removed] = await db
		.update(memberships)
		.set({ isActive: false, leftAt: sql`now()` })
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, userId), eq(memberships.isActive, true)))
		.returning();
	if (removed) return { membership: removed, removed: true };
	const [last] = await db
		.select()
		.from(memberships)
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, userId)))
		.orderBy(desc(memberships.id))
		.limit(1);
	if (!last) throw notFound('not_a_member');
	return { membership: last, removed: false };
}

export type RemovalStatus = 'removed' | 'not_member' | 'unknown_email' | 'invalid_email';
export interface RemovalRow {
	email: string;
	status: RemovalStatus;
	userId: number | null;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Removes many members by email: one result per distinct email, in input order. */
export async function removeMembersByEmail(db: Db, enterpriseId: number, rawEmails: string[]): Promise<RemovalRow[]> {
	await requireEnterprise(db, enterpriseId);
	const emails = [...new Set(rawEmails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
	const valid = emails.filter((e) => EMAIL_SHAPE.test(e));
	const known =
		valid.length === 0
			? new Map<string, number>()
			: new Map((await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, valid))).map((r) => [r.email, r.id]));
	const userIds = [...known.values()];
	let changed = new Set<number>();
	if (userIds.length > 0) {
		const rows = await db
			.update(memberships)
			.set({ isActive: false, leftAt: sql`now()` })
			.where(and(eq(memberships.enterpriseId, enterpriseId), inArray(memberships.userId, userIds), eq(memberships.isActive, true)))
			.returning({ userId: memberships.userId });
		changed = new Set(rows.map((r) => r.userId));
	}
	return emails.map((email): RemovalRow => {
		if (!EMAIL_SHAPE.test(email)) return { email, status: 'invalid_email', userId: null };
		const userId = known.get(email);
		if (userId === undefined) return { email, status: 'unknown_email', userId: null };
		return { email, status: changed.has(userId) ? 'removed' : 'not_member', userId };
	});
}

export interface UserEnterprise {
	membershipId: number;
	enterpriseId: number;
	name: string;
	description: string;
	joinedAt: Date;
	priority: number | null;
	suspended: boolean;
	monthlyLimit: number | null;
	walletId: number;
	balance: number;
}

/** The user's active enterprises in payment order (suspended ones included, flagged). */
export async function userEnterprises(db: DbOrTx, userId: number): Promise<UserEnterprise[]> {
	return db
		.select({
			membershipId: memberships.id,
			enterpriseId: enterprises.id,
			name: enterprises.name,
			description: enterprises.description,
			joinedAt: memberships.joinedAt,
			priority: memberships.priority,
			suspended: memberships.suspended,
			monthlyLimit: memberships.monthlyLimit,
			walletId: wallets.id,
			balance: wallets.balance
		})
		.from(memberships)
		.innerJoin(enterprises, eq(enterprises.id, memberships.enterpriseId))
		.innerJoin(wallets, eq(wallets.enterpriseId, enterprises.id))
		.where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
		.orderBy(...paymentOrder);
}

/** get_user_group of requirement doc multi-group-credit-deduction: the earliest-joined active enterprise, whatever the member's reordering. */
export function primaryEnterprise<T extends { joinedAt: Date; membershipId: number }>(list: T[]): T | null {
	let first: T | null = null;
	for (const g of list) {
		if (!first || g.joinedAt < first.joinedAt || (g.joinedAt.getTime() === first.joinedAt.getTime() && g.membershipId < first.membershipId)) first = g;
	}
	return first;
}

export async function setSuspended(db: DbOrTx, userId: number, enterpriseId: number, suspended: boolean): Promise<Membership> {
	const [row] = await db
		.update(memberships)
		.set({ suspended })
		.where(and(eq(memberships.userId, userId), eq(memberships.enterpriseId, enterpriseId), eq(memberships.isActive, true)))
		.returning();
	if (!row) throw notFound('not_a_member');
	return row;
}

/** Sets the member's payment order; the list must name exactly their active enterprises. */
export async function reorderEnterprises(db: Db, userId: number, enterpriseIds: number[]): Promise<void> {
	await db.transaction(async (tx) => {
		const active = await tx
			.select({ id: memberships.id, enterpriseId: memberships.enterpriseId })
			.from(memberships)
			.where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
			.for('update');
		const byEnterprise = new Map(active.map((m) => [m.enterpriseId, m.id]));
		const distinct = new Set(enterpriseIds);
		if (distinct.size !== enterpriseIds.length || distinct.size !== byEnterprise.size || enterpriseIds.some((g) => !byEnterprise.has(g))) {
			throw invalid('order_mismatch');
		}
		for (const [index, enterpriseId] of enterpriseIds.entries()) {
			await tx.update(memberships).set({ priority: index + 1 }).where(eq(memberships.id, byEnterprise.get(enterpriseId)!));
		}
	});
}

export async function isActiveMember(db: DbOrTx, userId: number, enterpriseId: number): Promise<boolean> {
	const [row] = await db
		.select({ id: memberships.id })
		.from(memberships)
		.where(and(eq(memberships.userId, userId), eq(memberships.enterpriseId, enterpriseId), eq(memberships.isActive, true)));
	return row !== undefined;
}
