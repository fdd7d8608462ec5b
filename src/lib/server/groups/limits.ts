import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { memberships, usageRecords, wallets } from '../db/schema';
import type { Membership } from './membership';
import { notFound } from '../errors';
import { monthBounds } from '../calendar';

function pairKey(userId: number, groupId: number): string {
	return `${userId}:${groupId}`;
}

/**
 * What each user spent this month that a group paid (usage records settled on that group's wallet),
 * keyed "user:group". Optionally restricted to some groups.
 */
export async function groupSpendThisMonth(
	db: DbOrTx,
	userIds: number[],
	at: Date,
	groupIds?: number[]
): Promise<Map<string, number>> {
	const result = new Map<string, number>();
	if (userIds.length === 0 || (groupIds && groupIds.length === 0)) return result;
	const { start, end } = monthBounds(at);
	const rows = await db
		.select({
			userId: usageRecords.userId,
			groupId: wallets.groupId,
			spent: sql<string>`sum(${usageRecords.cost})`
		})
		.from(usageRecords)
		.innerJoin(wallets, eq(wallets.id, usageRecords.walletId))
		.where(
			and(
				inArray(usageRecords.userId, userIds),
				gte(usageRecords.occurredAt, start),
				lt(usageRecords.occurredAt, end),
				isNotNull(wallets.groupId),
				groupIds ? inArray(wallets.groupId, groupIds) : undefined
			)
		)
		.groupBy(usageRecords.userId, wallets.groupId);
	for (const r of rows) result.set(pairKey(r.userId, r.groupId!), Number(r.spent));
	return result;
}

export function spendOf(spend: Map<string, number>, userId: number, groupId: number): number {
	return spend.get(pairKey(userId, groupId)) ?? 0;
}

/** How much more the member may spend from the group this month; null = no limit. Never negative. */
export function limitLeft(monthlyLimit: number | null, spent: number): number | null {
	if (monthlyLimit === null) return null;
	return Math.max(0, monthlyLimit - spent);
}

/** The group admin sets (or with null clears) a member's monthly limit on the group's payments. */
export async function setMemberLimit(db: DbOrTx, groupId: number, userId: number, monthlyLimit: number | null): Promise<Membership> {
	const [row] = await db
		.update(memberships)
		.set({ monthlyLimit })
		.where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId), eq(memberships.isActive, true)))
		.returning();
	if (!row) throw notFound('not_a_member');
	return row;
}
