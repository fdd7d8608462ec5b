import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

export interface Drift {
	walletId: number;
	owner: string;
	balance: number;
	entriesSum: number;
}

export interface LedgerReport {
	wallets: number;
	drifts: Drift[];
	/** Usage records without the ledger entry that paid for them. */
	orphanUsage: number;
}

/** Checks that every wallet's balance equals the sum of its entries and every usage record was paid. */
export async function verifyLedger(db: DbOrTx): Promise<LedgerReport> {
	const rows = await db.execute<{ id: number; owner: string; balance: string; total: string }>(sql`
		select w.id, w.owner_type || ':' || coalesce(w.user_id, w.group_id) as owner, w.balance,
			coalesce(s.total, 0) as total
		from wallets w
		left join (select wallet_id, sum(amount) as total from ledger_entries group by wallet_id) s on s.wallet_id = w.id`);
	const drifts = rows
		.filter((r) => BigInt(r.balance) !== BigInt(r.total))
		.map((r) => ({ walletId: r.id, owner: r.owner, balance: Number(r.balance), entriesSum: Number(r.total) }));
	const [orphans] = await db.execute<{ n: string }>(sql`
		select count(*) as n from usage_records u
		where u.cost > 0 and not exists (select 1 from ledger_entries e where e.idempotency_key = 'usage:' || u.request_id)`);
	return { wallets: rows.length, drifts, orphanUsage: Number(orphans.n) };
}
