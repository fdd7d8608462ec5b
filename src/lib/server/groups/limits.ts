import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { memberships } from '../db/schema';
import type { Membership } from './membership';
import { notFound } from '../errors';
import { monthBounds } from '../calendar';

function pairKey(userId: number, groupId: number): string {
	return `${userId}:${groupId}`;
}

/**
 * What each user spent this month that a group paid, keyed "user:group". Optionally restricted to
 * some groups. Read from the month-to-date counters (member_month_spend, kept by settlement's
 * roll-up in the settling transaction, by UTC month of occurred_at): one row per member, group and
 * month, so the cost does not grow with the month's history. Equal to the sum of the month's usage
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
	const rows = await db.execute<{ user_id: number; group_id: number; spent: string }>(sql`
		select s.user_id, w.group_id, s.spent from member_month_spend s join wallets w on w.id = s.wallet_id
		where s.user_id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb)::int)
			and s.month = ${utcDate(monthBounds(at).start)}::date
			${groupIds ? sql`and w.group_id in (select jsonb_array_elements_text(${JSON.stringify(groupIds)}::jsonb)::int)` : sql``}`);
	for (const r of rows) result.set(pairKey(r.user_id, r.group_id), Number(r.spent));
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
