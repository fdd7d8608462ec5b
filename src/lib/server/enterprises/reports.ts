import { and, asc, eq, gte, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { memberships, usageRecords, users } from '../db/schema';
import { enterpriseWalletId } from '../ledger/wallets';
import { enterpriseSpendThisMonth, limitLeft, spendOf } from './limits';
import { monthBounds } from '../calendar';
import { creditsAsDecimal } from '$lib/money';
import { csvLine } from '../usage/csv';
import { containsPattern } from '../db/like';

export interface MemberRow {
	userId: number;
	name: string;
	email: string;
	membershipId: number;
	joinedAt: Date;
	suspended: boolean;
	monthlyLimit: number | null;
	spentThisMonth: number;
	limitLeft: number | null;
}

export interface MemberFilter {
	/** Text the name or email contains, in any case (`%` and `_` are literal). */
	search?: string;
	limit?: number;
}

/** Active members in join order, with what the enterprise paid for each this month. */
export async function enterpriseMembers(db: DbOrTx, enterpriseId: number, filter: MemberFilter = {}, at = new Date()): Promise<MemberRow[]> {
	const pattern = filter.search ? containsPattern(filter.search) : null;
	const query = db
		.select({
			userId: users.id,
			name: users.name,
			email: users.email,
			membershipId: memberships.id,
			joinedAt: memberships.joinedAt,
			suspended: memberships.suspended,
			monthlyLimit: memberships.monthlyLimit
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.isActive, true), pattern ? or(ilike(users.name, pattern), ilike(users.email, pattern)) : undefined))
		.orderBy(asc(memberships.joinedAt), asc(memberships.id));
	const rows = filter.limit === undefined ? await query : await query.limit(filter.limit);
	const spend = await enterpriseSpendThisMonth(db, rows.map((r) => r.userId), at, [enterpriseId]);
	return rows.map((r) => {
		const spent = spendOf(spend, r.userId, enterpriseId);
		return { ...r, spentThisMonth: spent, limitLeft: limitLeft(r.monthlyLimit, spent) };
	});
}

export interface ReportRow {
	userId: number;
	name: string;
	email: string;
	active: boolean;
	requests: number;
	inputTokens: number;
	outputTokens: number;
	cost: number;
}

/**
 * Per member, what the enterprise paid in the month containing `at`: every active member (zero rows
 * included) and any former member the enterprise still paid for that month. Largest cost first.
 */
export async function enterpriseReport(db: DbOrTx, enterpriseId: number, at: Date): Promise<ReportRow[]> {
	const walletId = await enterpriseWalletId(db, enterpriseId);
	const { start, end } = monthBounds(at);
	const usage = await db
		.select({
			userId: usageRecords.userId,
			requests: sql<string>`count(*)`,
			inputTokens: sql<string>`sum(${usageRecords.inputTokens})`,
			outputTokens: sql<string>`sum(${usageRecords.outputTokens})`,
			cost: sql<string>`sum(${usageRecords.cost})`
		})
		.from(usageRecords)
		.where(and(eq(usageRecords.walletId, walletId), gte(usageRecords.occurredAt, start), lt(usageRecords.occurredAt, end)))
		.groupBy(usageRecords.userId);
	const active = await db
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.isActive, true)));
	const activeIds = new Set(active.map((m) => m.userId));
	const ids = [...new Set([...activeIds, ...usage.map((u) => u.userId)])];
	if (ids.length === 0) return [];
	const people = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ids));
	const usageBy = new Map(usage.map((u) => [u.userId, u]));
	const rows = people.map((p) => {
		const u = usageBy.get(p.id);
		return {
			userId: p.id,
			name: p.name,
			email: p.email,
			active: activeIds.has(p.id),
			requests: Number(u?.requests ?? 0),
			inputTokens: Number(u?.inputTokens ?? 0),
			outputTokens: Number(u?.outputTokens ?? 0),
			cost: Number(u?.cost ?? 0)
		};
	});
	return rows.sort((a, b) => b.cost - a.cost || a.email.localeCompare(b.email));
}

export function reportCsv(rows: ReportRow[], creditsPerUnit: number, currency: string): string {
	const header = ['email', 'name', 'active', 'requests', 'input_tokens', 'output_tokens', 'cost_credits', `cost_${currency.toLowerCase()}`];
	let csv = csvLine(header);
	for (const r of rows) {
		csv += csvLine([r.email, r.name, r.active ? 'yes' : 'no', r.requests, r.inputTokens, r.outputTokens, r.cost, creditsAsDecimal(r.cost, creditsPerUnit)]);
	}
	return csv;
}
