import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import type { EntryKind } from '../db/schema';

export interface WalletHistoryRow {
	id: number;
	kind: EntryKind;
	amount: number;
	balanceAfter: number;
	reference: string | null;
	memo: string | null;
	actorName: string | null;
	createdAt: Date;
}

export interface WalletHistoryPage {
	rows: WalletHistoryRow[];
	/** Pass back as `before` for the next (older) page; null on the last page. */
	nextCursor: number | null;
}

/** A wallet's ledger entries, newest first, keyset-paginated on the entry id. */
export async function walletHistory(
	db: DbOrTx,
	walletId: number,
	opts: { before?: number | null; limit: number }
): Promise<WalletHistoryPage> {
	const before = opts.before ?? null;
	const rows = await db.execute<{
		id: string;
		kind: EntryKind;
		amount: string;
		balance_after: string;
		reference: string | null;
		memo: string | null;
		actor_name: string | null;
		created_ms: string;
	}>(sql`
		select e.id, e.kind, e.amount, e.balance_after, e.reference, e.memo, a.name as actor_name,
			(extract(epoch from e.created_at) * 1000)::bigint as created_ms
		from ledger_entries e left join users a on a.id = e.actor_user_id
		where e.wallet_id = ${walletId} ${before !== null ? sql`and e.id < ${before}` : sql``}
		order by e.id desc limit ${opts.limit + 1}`);
	const page = rows.slice(0, opts.limit).map((r) => ({
		id: Number(r.id),
		kind: r.kind,
		amount: Number(r.amount),
		balanceAfter: Number(r.balance_after),
		reference: r.reference,
		memo: r.memo,
		actorName: r.actor_name,
		createdAt: new Date(Number(r.created_ms))
	}));
	return { rows: page, nextCursor: rows.length > opts.limit ? page[page.length - 1].id : null };
}
