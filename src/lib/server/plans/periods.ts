import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import type { GrantUnit } from '../db/schema';
import { config } from '../config';
import { issueGrant } from '../ledger/grants';
import { log } from '../log';
import { periodAt } from './calendar';
import { idArray } from '../db/value-list';

/**
 * Allowance periods. Each (subscription, period start) is granted at most once: the
 * subscription_periods unique key decides, and every path takes the user's wallet lock first
 * (the order every writer uses). Three paths reach it: activation on payment, the scheduled reset
 * job (on time, late, twice, on several instances) and, lazily, settlement of the first usage
 * after a boundary — so a user is never refused for a reset that has not run yet.
 */

type DueSubscription = {
	id: number;
	user_id: number;
	started_at: Date | string;
	paid_through: Date | string;
	allowance_credits: string;
	allowance_tokens: string;
	allowance_images: string;
	rollover_cap_percent: number | null;
	plan_name: string;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

const UNITS: Array<[GrantUnit, keyof DueSubscription]> = [
	['credits', 'allowance_credits'],
	['tokens', 'allowance_tokens'],
	['images', 'allowance_images']
];

/** What the previous period left of a unit at its end (a credit grant's later write-off does not count). */
async function leftAtEnd(tx: DbOrTx, grantId: number, unit: GrantUnit): Promise<number> {
	if (unit !== 'credits') {
		const [row] = await tx.execute<{ remaining: string }>(sql`select remaining from credit_grants where id = ${grantId}`);
		return Number(row?.remaining ?? 0);
	}
	const [row] = await tx.execute<{ left: string }>(sql`
		select coalesce(sum(amount), 0) as left from ledger_entries where grant_id = ${grantId} and kind <> 'expiry'`);
	return Number(row.left);
}

/**
 * Grants one period's allowances (plus what rolls over from the period that ended at its start,
 * up to the plan's cap) with the period's end as expiry. Returns false when it was granted before.
 */
async function grantPeriod(tx: DbOrTx, sub: DueSubscription, walletId: number, period: { start: Date; end: Date }): Promise<boolean> {
	const [row] = await tx.execute<{ id: number }>(sql`
		insert into subscription_periods (subscription_id, period_start, period_end)
		values (${sub.id}, ${period.start.toISOString()}, ${period.end.toISOString()})
		on conflict (subscription_id, period_start) do nothing returning id`);
	if (!row) return false;
	const [previous] = await tx.execute<{ grants: Record<string, number> }>(sql`
		select grants from subscription_periods where subscription_id = ${sub.id} and period_end = ${period.start.toISOString()}`);
	const grants: Record<string, number> = {};
	for (const [unit, column] of UNITS) {
		const allowance = Number(sub[column]);
		if (allowance <= 0) continue;
		let rollover = 0;
		const previousGrant = previous?.grants?.[unit];
		if (previousGrant && sub.rollover_cap_percent) {
			const cap = Math.floor((allowance * sub.rollover_cap_percent) / 100);
			rollover = Math.min(cap, await leftAtEnd(tx, previousGrant, unit));
		}
		const issued = await issueGrant(tx, {
			walletId,
			source: 'plan_allowance',
			unit,
			amount: allowance + rollover,
			priority: 0,
			effectiveFrom: period.start,
			expiresAt: period.end,
			memo: rollover > 0 ? `${sub.plan_name}: ${allowance} + ${rollover} rolled over` : sub.plan_name,
			idempotencyKey: `plan:${sub.id}:${period.start.toISOString()}:${unit}`
		});
		grants[unit] = issued.grantId;
	}
	await tx.execute(sql`update subscription_periods set grants = ${JSON.stringify(grants)}::jsonb where id = ${row.id}`);
	return true;
}

function dueQuery(at: Date, userIds: number[] | null) {
	const now = at.toISOString();
	return sql`
		select s.id, s.user_id, s.started_at, s.paid_through, p.allowance_credits, p.allowance_tokens, p.allowance_images,
			p.rollover_cap_percent, p.name as plan_name
		from subscriptions s join plans p on p.id = s.plan_id
		where s.status = 'active' and s.started_at <= ${now} and s.paid_through > ${now}
			${userIds ? sql`and s.user_id = any(${idArray(userIds)})` : sql``}
			and not exists (select 1 from subscription_periods sp where sp.subscription_id = s.id
				and sp.period_start <= ${now} and sp.period_end > ${now})
		order by s.id`;
}

/**
 * The lazy path: grants the current period of these users' subscriptions where it is missing.
 * The caller has locked the users' wallets. Returns how many periods it granted.
 */
export async function ensureCurrentPeriods(tx: DbOrTx, userIds: number[], at: Date): Promise<number> {
	if (userIds.length === 0) return 0;
	const due = await tx.execute<DueSubscription>(dueQuery(at, userIds));
	let granted = 0;
	for (const sub of due) {
		const period = periodAt({ startedAt: toDate(sub.started_at), paidThrough: toDate(sub.paid_through) }, at, config().BILLING_TIMEZONE);
		if (!period) continue;
		const [wallet] = await tx.execute<{ id: number }>(sql`select id from wallets where user_id = ${sub.user_id} for update`);
		if (await grantPeriod(tx, sub, wallet.id, period)) granted++;
	}
	return granted;
}

export interface ResetReport {
	granted: number;
	ended: number;
}

/**
 * The scheduled reset (pg-boss, the 1st at 00:00 in BILLING_TIMEZONE, and at start-up): grants every
 * missing current period, each in its own transaction (wallet lock, then the period's unique key),
 * and marks subscriptions whose paid months are over as ended. Safe late, twice, or on two instances.
 */
export async function runPlanResets(db: Db, now = new Date()): Promise<ResetReport> {
	const report: ResetReport = { granted: 0, ended: 0 };
	const due = await db.execute<DueSubscription>(dueQuery(now, null));
	for (const sub of due) {
		const granted = await db.transaction(async (tx) => {
			await tx.execute(sql`select id from wallets where user_id = ${sub.user_id} for update`);
			return ensureCurrentPeriods(tx, [sub.user_id], now);
		});
		report.granted += granted;
	}
	const ended = await db.execute(sql`update subscriptions set status = 'ended' where status = 'active' and paid_through <= ${now.toISOString()} returning id`);
	report.ended = ended.length;
	if (report.granted > 0 || report.ended > 0) log.info({ ...report }, 'plan reset job');
	return report;
}
