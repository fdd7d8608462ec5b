import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { memberships, usageDaily, wallets } from '../db/schema';
import type { Membership } from './membership';
import { notFound } from '../errors';
import { monthBounds } from '../calendar';

function pairKey(userId: number, groupId: number): string {
	return `${userId}:${groupId}`;
}

/**
 * What each user spent this month that a group paid, keyed "user:group". Optionally restricted to
 * some groups. Read from the daily roll-ups (usage_daily, written in the settling transaction, by
 * UTC day of occurred_at) rather than the usage records: at most one row per day, model and wallet,
 * so the cost does not grow with the month's history. Equal to the sum of the month's usage
 * records settled on the group's wallets (tests/integration/month-spend.test.ts).
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
			userId: usageDaily.userId,
			groupId: wallets.groupId,
			spent: sql<string>`sum(${usageDaily.cost})`
		})
		.from(usageDaily)
		.innerJoin(wallets, eq(wallets.id, usageDaily.walletId))
		.where(
			and(
				inArray(usageDaily.userId, userIds),
				gte(usageDaily.day, utcDate(start)),
				lt(usageDaily.day, utcDate(end)),
				isNotNull(wallets.groupId),
				groupIds ? inArray(wallets.groupId, groupIds) : undefined
			)
		)
		.groupBy(usageDaily.userId, wallets.groupId);
	for (const r of rows) result.set(pairKey(r.userId, r.groupId!), Number(r.spent));
	return result;
}

const utcDate = (at: Date) => at.toISOString().slice(0, 10);

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
