import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { executePrepared } from '../db/prepared';
import { memberships } from '../db/schema';
import type { Membership } from './membership';
import { notFound } from '../errors';
import { monthBounds } from '../calendar';
import { idArray } from '../db/value-list';

function pairKey(userId: number, enterpriseId: number): string {
	return `${userId}:${enterpriseId}`;
}

/**
 * What each user spent this month that an enterprise paid, keyed "user:enterprise". Optionally restricted to
 * some enterprises. Read from the month-to-date counters (member_month_spend, kept by settlement's
 * roll-up in the settling transaction, by UTC month of occurred_at): one row per member, enterprise and
 * month, so the cost does not grow with the month's history. Equal to the sum of the month's usage
 * records settled on the enterprise's wallets (tests/integration/month-spend.test.ts).
 */
export async function enterpriseSpendThisMonth(
	db: DbOrTx,
	userIds: number[],
	at: Date,
	enterpriseIds?: number[]
): Promise<Map<string, number>> {
	const result = new Map<string, number>();
	if (userIds.length === 0 || (enterpriseIds && enterpriseIds.length === 0)) return result;
	const rows = await executePrepared<{ user_id: number; enterprise_id: number; spent: string }>(
		db,
		sql`
		select s.user_id, w.enterprise_id, s.spent from member_month_spend s join wallets w on w.id = s.wallet_id
		where s.user_id = any(${idArray(userIds)})
			and s.month = ${utcDate(monthBounds(at).start)}::date
			${enterpriseIds ? sql`and w.enterprise_id = any(${idArray(enterpriseIds)})` : sql``}`
	);
	for (const r of rows) result.set(pairKey(r.user_id, r.enterprise_id), Number(r.spent));
	return result;
}

const utcDate = (at: Date) => at.toISOString().slice(0, 10);

export function spendOf(spend: Map<string, number>, userId: number, enterpriseId: number): number {
	return spend.get(pairKey(userId, enterpriseId)) ?? 0;
}

/** How much more the member may spend from the enterprise this month; null = no limit. Never negative. */
export function limitLeft(monthlyLimit: number | null, spent: number): number | null {
	if (monthlyLimit === null) return null;
	return Math.max(0, monthlyLimit - spent);
}

/** The enterprise admin sets (or with null clears) a member's monthly limit on the enterprise's payments. */
export async function setMemberLimit(db: DbOrTx, enterpriseId: number, userId: number, monthlyLimit: number | null): Promise<Membership> {
	const [row] = await db
		.update(memberships)
		.set({ monthlyLimit })
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, userId), eq(memberships.isActive, true)))
		.returning();
	if (!row) throw notFound('not_a_member');
	return row;
}
