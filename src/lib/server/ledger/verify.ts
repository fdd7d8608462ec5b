import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { entryKinds, overdraftKinds } from '../db/schema';

export interface Drift {
	walletId: number;
	owner: string;
	balance: number;
	entriesSum: number;
}

/** One broken money invariant and how many rows break it. */
export interface Violation {
	invariant: string;
	rows: number;
}

export interface LedgerReport {
	wallets: number;
	drifts: Drift[];
	/** Usage records without the ledger entry that paid for them. */
	orphanUsage: number;
	/** Every other invariant that does not hold (empty when the books are clean). */
	violations: Violation[];
}

const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** Each invariant as a query counting the rows that break it. */
const invariants: Array<[string, ReturnType<typeof sql>]> = [
	['entry kind from the known set', sql`select count(*) as n from ledger_entries where kind not in (${list(entryKinds)})`],
	['entry amount is not zero', sql`select count(*) as n from ledger_entries where amount = 0`],
	[
		'only usage takes a wallet below zero',
		sql`select count(*) as n from ledger_entries where amount < 0 and balance_after < 0 and kind not in (${list(overdraftKinds)}) and grant_id is null`
	],
	[
		'balance_after follows the previous entry',
		sql`select count(*) as n from (select balance_after, amount, lag(balance_after) over (partition by wallet_id order by id) as prev
			from ledger_entries) e where e.prev is not null and e.balance_after <> e.prev + e.amount`
	],
	[
		'usage costs and token counts are not negative',
		sql`select count(*) as n from usage_records where cost < 0 or input_tokens < 0 or output_tokens < 0 or subscription_used < 0 or regular_used < 0`
	],
	['usage splits into subscription_used + regular_used', sql`select count(*) as n from usage_records where subscription_used + regular_used <> cost`],
	[
		'usage entries add up to the cost',
		// Joined to per-request sums rather than a subquery per record: ledger_entries.reference has no index.
		sql`select count(*) as n from usage_records u
			left join (select reference, -sum(amount) as paid from ledger_entries where kind = 'usage' group by reference) e on e.reference = 'usage:' || u.request_id
			left join (select request_id, sum(credits) as credits from allowance_uses group by request_id) a on a.request_id = u.request_id
			where u.cost > 0 and u.cost <> coalesce(e.paid, 0) + coalesce(a.credits, 0)`
	],
	[
		'a grant keeps 0 ≤ remaining ≤ original',
		sql`select count(*) as n from credit_grants where remaining < 0 or remaining > original or original <= 0`
	],
	[
		'a grant remaining equals the sum of its entries',
		sql`select count(*) as n from credit_grants g where g.unit = 'credits' and g.remaining <> coalesce((select sum(e.amount) from ledger_entries e where e.grant_id = g.id), 0)`
	],
	[
		'an allowance remaining is its original less its uses',
		sql`select count(*) as n from credit_grants g where g.unit <> 'credits' and g.remaining <> g.original - coalesce((select sum(a.units) from allowance_uses a where a.grant_id = g.id), 0)`
	],
	[
		'allowance uses name token or image grants',
		sql`select count(*) as n from allowance_uses a join credit_grants g on g.id = a.grant_id where g.unit = 'credits'`
	],
	[
		'a grant entry is on the grant wallet',
		sql`select count(*) as n from ledger_entries e join credit_grants g on g.id = e.grant_id where g.wallet_id <> e.wallet_id`
	],
	[
		'a hold has a positive amount and a known status',
		sql`select count(*) as n from holds where amount <= 0 or status not in ('active', 'captured', 'released', 'expired')`
	],
	[
		'a hold is resolved exactly when it is not active',
		sql`select count(*) as n from holds where (status = 'active') <> (resolved_at is null) or (status = 'captured') <> (captured_cost is not null)`
	],
	[
		'a hold life is one placed event and one resolution matching its status',
		sql`select count(*) as n from holds h where
			(select count(*) from hold_events e where e.hold_id = h.id and e.event = 'placed') <> 1
			or (select count(*) from hold_events e where e.hold_id = h.id and e.event <> 'placed') <> (case when h.status = 'active' then 0 else 1 end)
			or (h.status <> 'active' and not exists (select 1 from hold_events e where e.hold_id = h.id and e.event = h.status))`
	],
	[
		'a wallet holds the sum of its active holds',
		sql`select count(*) as n from wallets w where w.held <> coalesce((select sum(h.amount) from holds h where h.wallet_id = w.id and h.status = 'active'), 0)`
	],
	[
		'a captured hold has its settled usage',
		sql`select count(*) as n from holds h where h.status = 'captured' and not exists (select 1 from usage_records u where u.request_id = h.request_id)`
	]
];

/**
 * Checks every money invariant: each wallet's balance equals the sum of its entries, every usage
 * record was paid, and the rest (entries, usage, grants, holds) listed above.
 */
export async function verifyLedger(db: DbOrTx): Promise<LedgerReport> {
	const rows = await db.execute<{ id: number; owner: string; balance: string; total: string }>(sql`
		select w.id, w.owner_type || ':' || coalesce(w.user_id, w.enterprise_id) as owner, w.balance,
			coalesce(s.total, 0) as total
		from wallets w
		left join (select wallet_id, sum(amount) as total from ledger_entries group by wallet_id) s on s.wallet_id = w.id`);
	const drifts = rows
		.filter((r) => BigInt(r.balance) !== BigInt(r.total))
		.map((r) => ({ walletId: r.id, owner: r.owner, balance: Number(r.balance), entriesSum: Number(r.total) }));
	const [orphans] = await db.execute<{ n: string }>(sql`
		select count(*) as n from usage_records u
		where u.cost > 0 and not exists (select 1 from ledger_entries e where e.idempotency_key = 'usage:' || u.request_id)
			and not exists (select 1 from allowance_uses a where a.request_id = u.request_id)`);
	const violations: Violation[] = [];
	for (const [invariant, query] of invariants) {
		const [row] = await db.execute<{ n: string }>(query);
		if (Number(row.n) > 0) violations.push({ invariant, rows: Number(row.n) });
	}
	return { wallets: rows.length, drifts, orphanUsage: Number(orphans.n), violations };
}
